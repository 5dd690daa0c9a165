#!/usr/bin/env bash
# The project's test command: installs what the tests need on a fresh
# machine (idempotent; skipped when already present), then runs the whole
# test suite. `.ci/run` calls exactly this.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

for setup in scripts/setup.d/*.sh; do
    [ -e "$setup" ] || continue
    log "setup: $setup"
    bash "$setup"
done

# A run from a clean clone (CI) gains nothing from incremental compilation
# and its caches take over a gigabyte of disk; a caller may still ask for
# them (CARGO_INCREMENTAL=1).
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# The build and the tests' scratch need about 5 GiB (target/ of a clean
# clone: 4.0 GiB, 2026-12-07); say so first rather than fail later with a
# compiler's "failed to write" (a full disk ended a CI run that way).
free_kib=$(df -Pk . | awk 'NR == 2 { print $4 }')
if [ -n "$free_kib" ] && [ "$free_kib" -lt $((5 * 1024 * 1024)) ]; then
    warn "only $((free_kib / 1024)) MiB free on the disk of $ONCEVAR_ROOT; the build and tests need about 5 GiB"
fi

cargo fmt --all -- --check
# Lints, with the library's own: every public item documented, with its
# errors and panics (src/lib.rs); then the documentation itself, whose
# broken or private intra-doc links are warnings made errors here.
cargo clippy --locked --all-targets -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps
# Snapshots (insta) are checked, never written: a missing or different
# snapshot fails the run whatever INSTA_UPDATE or INSTA_FORCE_PASS the
# caller's environment holds.
INSTA_UPDATE=no INSTA_FORCE_PASS=0 cargo test --locked --all-targets
# The Python package: pip wheel ., a fresh venv, oncevar on its PATH. After
# cargo test, whose dev build it reuses.
scripts/test-wheel.sh
# The GitHub workflows (CI, release) and the README's sample workflow.
scripts/lint-workflows.sh
