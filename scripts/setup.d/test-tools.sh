#!/usr/bin/env bash
# SARIF validators for tests/sarif.rs (see scripts/install-test-tools.sh).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/../install-test-tools.sh"
