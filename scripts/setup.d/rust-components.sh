#!/usr/bin/env bash
# rustfmt and clippy, which scripts/test.sh runs before the tests: added
# through rustup when the toolchain lacks them (a minimal profile).
# Idempotent: does nothing when both answer.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

missing=()
cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
[ ${#missing[@]} -eq 0 ] && exit 0
command -v rustup >/dev/null 2>&1 ||
    die "cargo lacks ${missing[*]} and rustup is not installed to add them"
log "rustup component add ${missing[*]}"
rustup component add "${missing[@]}"
