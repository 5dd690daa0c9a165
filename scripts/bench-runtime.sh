#!/usr/bin/env bash
# Measure the cost of a Py_ONCEVAR() access against a plain static.
#
#   scripts/bench-runtime.sh [ACCESSES [REPEATS]]
#
# Builds benches/access.c with -O2 against libpython (embedding CPython, as
# given by $PYTHON_CONFIG, default python3-config) twice: with the accesses in
# the executable, and with the accesses in a -fPIC shared library (as in an
# extension module).  Each run alternates the plain and the oncevar loop
# REPEATS times (default 9) over ACCESSES iterations (default 50,000,000) and
# prints the medians in ns per iteration, their difference and their ratio.
# Pinned to one CPU with taskset when available.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
accesses=${1:-50000000}
repeats=${2:-9}
PYTHON_CONFIG=${PYTHON_CONFIG:-python3-config}
CC=${CC:-cc}
out=${ONCEVAR_BENCH_DIR:-$root/target/bench-runtime}
mkdir -p "$out"

if ! command -v "$PYTHON_CONFIG" >/dev/null 2>&1; then
    echo "bench-runtime: $PYTHON_CONFIG not found (set PYTHON_CONFIG)" >&2
    exit 2
fi
read -r -a includes <<<"$("$PYTHON_CONFIG" --includes)"
read -r -a ldflags <<<"$("$PYTHON_CONFIG" --ldflags --embed)"
src="$root/benches/access.c"
cflags=(-O2 -Wall -Wextra -Werror -I"$root/runtime" "${includes[@]}")

"$CC" "${cflags[@]}" "$src" -o "$out/access" "${ldflags[@]}"
"$CC" "${cflags[@]}" -fPIC -shared -DONCEVAR_BENCH_PART=1 "$src" \
    -o "$out/libaccess_bench.so" "${ldflags[@]}"
"$CC" "${cflags[@]}" -DONCEVAR_BENCH_PART=2 "$src" -o "$out/access_pic" \
    -L"$out" -laccess_bench -Wl,-rpath,"$out" "${ldflags[@]}"

pin=()
if command -v taskset >/dev/null 2>&1; then
    cpu=$(( $(nproc) - 1 ))
    pin=(taskset -c "$cpu")
fi

echo "# $("$CC" --version | head -n 1); -O2; $(uname -m); $(nproc) CPUs;" \
     "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')"
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)${pin:+; pinned: ${pin[*]}}"
"${pin[@]}" "$out/access" "$accesses" "$repeats"
"${pin[@]}" "$out/access_pic" "$accesses" "$repeats"
