#!/usr/bin/env bash
# Scan CPython 3.11.2 with oncevar: fetch the corpus (checksum-verified),
# build oncevar, run `oncevar check` over the whole tree, time it (median of
# several runs), and measure the result against the hand-checked list in
# testdata/cpython-3.11.2/.
#
#   scripts/scan-cpython.sh [RUNS]      # RUNS timing runs, default 5
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

runs="${1:-5}"
"$ONCEVAR_ROOT/scripts/fetch-corpus.sh" >&2
tree="$ONCEVAR_ROOT/.cache/corpus/cpython-3.11.2"
truth="$ONCEVAR_ROOT/testdata/cpython-3.11.2"
out="$ONCEVAR_ROOT/.cache/reports"
mkdir -p "$out"

log "building oncevar (release)"
oncevar="$(build_oncevar --release)"

cd "$tree"
status=0
"$oncevar" check . --output-format json >"$out/cpython.json" 2>"$out/cpython.stderr" || status=$?
[ "$status" -le 1 ] || { cat "$out/cpython.stderr" >&2; die "oncevar check failed (exit $status)"; }
"$oncevar" check . --output-format concise >"$out/cpython.txt" 2>/dev/null || true
log "report: $out/cpython.json, $out/cpython.txt"
tail -n 2 "$out/cpython.stderr" >&2

times=()
for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    "$oncevar" check . --output-format json >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "scan of $(find . -name '*.[ch]' | wc -l) files: median ${median}s over $runs runs (${times[*]})"

python3 "$ONCEVAR_ROOT/scripts/compare-truth.py" "$out/cpython.json" \
    "$truth/sites.tsv" "$truth/not-sites.tsv" --min-recall 0.9 --min-precision 0.95
