#!/usr/bin/env bash
# Times a release build of oncevar on the inputs that once took time
# growing with the square of their size, or aborted the run on a too deep
# recursion (see scripts/gen-hostile-c.py): 10,000 nested `if`s, 20,000
# nested `#if`s, 15,000 comment lines after a `Py_CLEAR` (block and line
# comments), 10,000 nested casts and a local reassigned 10,000 times as
# `t = a ? t : t;` (the stored value's ownership), chains of 30,000 `&&`,
# `+` and `#if` `&&`, 25,000 and 100,000 comment lines inside an open
# `if (`, 2/4/8/16 MB of file-scope statics, and 0.5/2 MB of `x = 1;` on
# one line inside an unclosed call. Prints seconds, peak RSS and MB/s for
# each; fails if a nesting or comment input
# takes a second or more, if 16 MB of statics takes more than 12 times as
# long as 4 MB, 100,000 comment lines more than 12 times 25,000, or 2 MB
# of the long line more than 12 times as long as 0.5 MB (linear time would
# be 4 times). The long line's MB/s is printed beside the statics' (the
# ordinary C of the same run): wall times on a shared machine vary, their
# ratio much less.
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

# megabytes per second, $1 MB in $2 seconds
rate() { awk -v m="$1" -v s="$2" 'BEGIN { printf "%.2f", m / (s > 0 ? s : 0.01) }'; }

fail=0
for spec in "ifs 10000" "pp-ifs 20000" "pp-decl 20000" "comments 15000" "line-comments 15000" \
    "casts 10000" "local-ternaries 10000" "logical 30000" "binary 30000" "pp-logical 30000"; do
    set -- $spec
    python3 scripts/gen-hostile-c.py "$1" "$2" "$work/$1.c"
    read -r secs kb < <(measure "$work/$1.c")
    printf '%-13s %6s levels  %6.2f s  %7d KB\n' "$1" "$2" "$secs" "$kb"
    if awk -v s="$secs" 'BEGIN { exit !(s >= 1) }'; then fail=1; fi
done
declare -A took
for lines in 25000 100000; do
    python3 scripts/gen-hostile-c.py open-if "$lines" "$work/open-if.c"
    read -r secs kb < <(measure "$work/open-if.c")
    took[open-$lines]=$secs
    printf '%-13s %6s lines   %6.2f s  %7d KB\n' open-if "$lines" "$secs" "$kb"
done
if awk -v a="${took[open-25000]}" -v b="${took[open-100000]}" 'BEGIN { exit !(b > 3 * 4 * (a + 0.05)) }'; then
    echo "bench-hostile: 100,000 comment lines in an open if took more than 12 times 25,000: not linear" >&2
    fail=1
fi
for mb in 2 4 8 16; do
    python3 scripts/gen-hostile-c.py statics "$mb" "$work/statics.c"
    read -r secs kb < <(measure "$work/statics.c")
    took[$mb]=$secs
    printf 'statics       %6s MB      %6.2f s  %7d KB  %5.2f MB/s  (%s bytes of memory per input byte)\n' \
        "$mb" "$secs" "$kb" "$(rate "$mb" "$secs")" \
        "$(awk -v k="$kb" -v m="$mb" 'BEGIN { printf "%.0f", k / (m * 1024) }')"
done
for mb in 0.5 2; do
    python3 scripts/gen-hostile-c.py long-line "$mb" "$work/long-line.c"
    read -r secs kb < <(measure "$work/long-line.c")
    took[long-$mb]=$secs
    printf 'long-line     %6s MB      %6.2f s  %7d KB  %5.2f MB/s\n' "$mb" "$secs" "$kb" "$(rate "$mb" "$secs")"
done
printf 'long-line at 2 MB: %.2f times the time per byte of 16 MB of statics\n' \
    "$(awk -v l="${took[long-2]}" -v s="${took[16]}" 'BEGIN { printf "%.2f", (l / 2) / (s / 16) }')"
if awk -v a="${took[long-0.5]}" -v b="${took[long-2]}" 'BEGIN { exit !(b > 3 * 4 * (a + 0.05)) }'; then
    echo "bench-hostile: 2 MB of the long line took more than 12 times 0.5 MB: not linear" >&2
    fail=1
fi
if awk -v a="${took[4]}" -v b="${took[16]}" 'BEGIN { exit !(b > 3 * 4 * (a + 0.05)) }'; then
    echo "bench-hostile: 16 MB of statics took more than 12 times 4 MB: not linear" >&2
    fail=1
fi
[ "$fail" -eq 0 ] && echo "bench-hostile: linear" || { echo "bench-hostile: too slow" >&2; exit 1; }
