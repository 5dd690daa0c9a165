#!/usr/bin/env bash
# Installs the SARIF validators that the test suite runs (tests/sarif.rs)
# into the git-ignored .cache/node, from the npm registry:
#
#   ajv-cli + ajv-formats            a JSON-schema validator (draft 2020-12,
#                                    with `uri`/`uri-reference` formats checked)
#   @microsoft/sarif-multitool-linux the SARIF SDK's Multitool: ships the
#                                    official SARIF 2.1.0 schema
#                                    (sarif-2.1.0.json) and `validate`, which
#                                    adds SARIF's own consistency rules
#
# Idempotent: does nothing when the pinned versions are already there.
# Without npm (or off Linux x86-64, where the Multitool has no build) it
# fails, as the SARIF validation tests would; with ONCEVAR_ALLOW_SKIP=1 it
# only warns, and those tests skip.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PACKAGES=(ajv-cli@5.0.0 ajv-formats@3.0.1 @microsoft/sarif-multitool-linux@5.7.0)
DEST="$ONCEVAR_ROOT/.cache/node"
STAMP="$DEST/installed.txt"
MULTITOOL="$DEST/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "${PACKAGES[*]}" ] &&
    [ -x "$DEST/node_modules/.bin/ajv" ] && [ -x "$MULTITOOL" ]; then
    exit 0
fi
# cannot_install MESSAGE: fails, or warns under ONCEVAR_ALLOW_SKIP=1.
cannot_install() {
    if [ "${ONCEVAR_ALLOW_SKIP:-}" = 1 ]; then
        warn "$1; SARIF validation will be skipped (ONCEVAR_ALLOW_SKIP=1)"
        exit 0
    fi
    die "$1 (or set ONCEVAR_ALLOW_SKIP=1 to skip SARIF validation)"
}
command -v npm >/dev/null 2>&1 || cannot_install "npm not found: install Node.js and npm"
if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
    cannot_install "the SARIF Multitool is installed only on Linux x86-64"
fi

log "installing ${PACKAGES[*]} into ${DEST#"$ONCEVAR_ROOT"/}"
mkdir -p "$DEST"
npm install --prefix "$DEST" --no-audit --no-fund --no-save --loglevel=error "${PACKAGES[@]}"
# npm may skip the package's own postinstall (`chmod u+x`).
chmod u+x "$MULTITOOL"
"$MULTITOOL" --version >/dev/null 2>&1 || die "the SARIF Multitool does not run on this machine"
printf '%s\n' "${PACKAGES[*]}" >"$STAMP"
