#!/usr/bin/env bash
# tests/extension.rs measures references left at exit under Debian's debug
# build of CPython 3.11 (sys.gettotalrefcount, -X showrefcount).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
command -v python3.11-dbg >/dev/null && command -v python3.11-dbg-config >/dev/null && exit 0
log "installing python3.11-dbg"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11-dbg >/dev/null
