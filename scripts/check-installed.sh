#!/usr/bin/env bash
# Checks an installed oncevar as a user meets it: `oncevar --version` says
# Cargo.toml's version, `oncevar check` on the demo tree finds the 11 sites
# of testdata/demo/EXPECTED.md (exit 1, one concise line each, the summary
# the README shows), and `oncevar runtime` prints runtime/oncevar.h. Used
# by scripts/test-wheel.sh, scripts/build-wheels.sh and the release
# workflow's smoke test of every wheel, so all of them check the same
# thing.
#
#   scripts/check-installed.sh PATH/TO/oncevar
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

[ $# -eq 1 ] || die "usage: $0 PATH/TO/oncevar"
oncevar=$1
[ -x "$oncevar" ] || die "$oncevar is not an executable"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"
got="$("$oncevar" --version | tr -d '\r')"
[ "$got" = "oncevar $version" ] || die "oncevar --version printed '$got', not 'oncevar $version'"
check "oncevar --version: $got"

set +e
"$oncevar" check testdata/demo --output-format concise >"$work/demo.out" 2>"$work/demo.err"
code=$?
set -e
[ "$code" -eq 1 ] || die "the demo exits $code, not 1 (sites found): $(cat "$work/demo.err")"
summary="$(tr -d '\r' <"$work/demo.err" | grep '^found')"
expected="found 11 sites (OV101: 6, OV102: 2, OV201: 2, OV301: 1) in 4 files scanned"
[ "$summary" = "$expected" ] || die "the demo's summary is '$summary', not '$expected'"
[ "$(wc -l <"$work/demo.out")" -eq 11 ] || die "the demo printed: $(cat "$work/demo.out")"
check "the demo: $summary"

"$oncevar" runtime >"$work/oncevar.h"
tr -d '\r' <"$work/oncevar.h" | cmp -s - runtime/oncevar.h || die "oncevar runtime differs from runtime/oncevar.h"
check "oncevar runtime prints runtime/oncevar.h"

echo "installed oncevar: $passed passed, 0 failed"
