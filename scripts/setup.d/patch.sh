#!/usr/bin/env bash
# GNU patch: tests/reliability.rs applies `check --diff` with `patch -p1`
# as well as `git apply`, to prove both read the quoted file names.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
command -v patch >/dev/null && exit 0
log "installing patch"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq patch >/dev/null
