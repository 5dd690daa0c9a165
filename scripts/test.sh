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
