#!/usr/bin/env bash
# Times a release build of oncevar on the inputs that once took time
# growing with the square of their size (see scripts/gen-hostile-c.py):
# 10,000 nested `if`s, 20,000 nested `#if`s, and 2/4/8/16 MB of file-scope
# statics. Prints seconds and peak RSS for each; fails if a nesting input
# takes a second or more, or if 16 MB of statics takes more than 12 times
# as long as 4 MB (linear time would be 4 times).
#
#   scripts/bench-hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
oncevar=$PWD/target/release/oncevar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# seconds and peak KB of one `check --diff` run
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$oncevar" check --diff --jobs 1 "$1" \
        >/dev/null 2>&1 || true
    cat "$work/time"
}

fail=0
for spec in "ifs 10000" "pp-ifs 20000" "pp-decl 20000"; do
    set -- $spec
    python3 scripts/gen-hostile-c.py "$1" "$2" "$work/$1.c"
    read -r secs kb < <(measure "$work/$1.c")
    printf '%-8s %6s levels  %6.2f s  %7d KB\n' "$1" "$2" "$secs" "$kb"
    if awk -v s="$secs" 'BEGIN { exit !(s >= 1) }'; then fail=1; fi
done
declare -A took
for mb in 2 4 8 16; do
    python3 scripts/gen-hostile-c.py statics "$mb" "$work/statics.c"
    read -r secs kb < <(measure "$work/statics.c")
    took[$mb]=$secs
    printf 'statics  %6s MB      %6.2f s  %7d KB  (%s bytes of memory per input byte)\n' \
        "$mb" "$secs" "$kb" "$(awk -v k="$kb" -v m="$mb" 'BEGIN { printf "%.0f", k / (m * 1024) }')"
done
if awk -v a="${took[4]}" -v b="${took[16]}" 'BEGIN { exit !(b > 3 * 4 * (a + 0.05)) }'; then
    echo "bench-hostile: 16 MB of statics took more than 12 times 4 MB: not linear" >&2
    fail=1
fi
[ "$fail" -eq 0 ] && echo "bench-hostile: linear" || { echo "bench-hostile: too slow" >&2; exit 1; }
