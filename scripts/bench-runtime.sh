#!/usr/bin/env bash
# Measure the cost of a Py_ONCEVAR() access against a plain static.
#
#   scripts/bench-runtime.sh [ACCESSES [REPEATS]]
#
# For each CPython named in $PYTHON_CONFIGS (colon-separated python3.X-config
# scripts; default: python3-config, and the 3.14 that scripts/fetch-pythons.sh
# unpacks when it is there), builds benches/access.c with -O2 three ways:
#   executable  the accesses in an executable that embeds libpython;
#   -fPIC       the accesses in a -fPIC shared library, driven by such an
#               executable;
#   extension   the accesses in an extension module (`oncevar_bench`)
#               imported by that CPython's own python executable: what an
#               extension module's accesses cost where they run.
# Each run alternates the plain and the oncevar loop REPEATS times (default
# 9) over ACCESSES iterations (default 50,000,000), timed in the thread's CPU
# time, and prints the medians in ns per iteration, their difference and
# their ratio. The "getter" row times the call that names the calling
# thread's interpreter (PyInterpreterState_Get) alone: the floor of any
# per-interpreter lookup through the public C API; "unchecked" the other
# exported way (the thread state without its NULL check, then its interp
# field), "call" an exported function that only returns a global
# (Py_IsInitialized): the cost of any call into CPython. The extension is
# built a second time with -DPy_ONCEVAR_NO_NOPLT ("extension, PLT"), the
# getter called through its PLT stub, as before the header's noplt. Every
# function and loop is aligned to 64 bytes: unaligned, the plain loop took
# 0.34 or 0.68 ns depending on where it landed. Pinned to one CPU with
# taskset when available. Two candidates for a cheaper read that the runtime
# does not take are timed too (runtime/README.md, "Cost"): "tls" one load of
# the object's own thread-local (the floor of a per-thread cache, before any
# validation), "solo" the getter call skipped while the head of CPython's
# interpreter list is the main interpreter (read through _PyRuntime at the
# internal offset that benches/runtime_offsets.c prints), and "read, solo" a
# read so built.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root=$ONCEVAR_ROOT
accesses=${1:-50000000}
repeats=${2:-9}
CC=${CC:-cc}
out=${ONCEVAR_BENCH_DIR:-$root/target/bench-runtime}
mkdir -p "$out"

if [ -z "${PYTHON_CONFIGS:-}" ]; then
    PYTHON_CONFIGS=python3-config
    newest="$root/.cache/pythons/3.14/bin/python3.14-config"
    [ -x "$newest" ] && PYTHON_CONFIGS="$PYTHON_CONFIGS:$newest"
fi

pin=()
if command -v taskset >/dev/null 2>&1; then
    cpu=$(( $(nproc) - 1 ))
    pin=(taskset -c "$cpu")
fi
echo "# $("$CC" --version | head -n 1); -O2; $(uname -m); $(nproc) CPUs;" \
     "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')"
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)${pin:+; pinned: ${pin[*]}}"

src="$root/benches/access.c"
IFS=: read -r -a configs <<<"$PYTHON_CONFIGS"
for config in "${configs[@]}"; do
    command -v "$config" >/dev/null 2>&1 || die "$config not found (set PYTHON_CONFIGS)"
    read -r -a includes <<<"$("$config" --includes)"
    read -r -a ldflags <<<"$("$config" --ldflags --embed)"
    prefix="$("$config" --prefix)"
    python="${config%-config}"
    dir="$out/$(basename "$python")"
    mkdir -p "$dir"
    cflags=(-O2 -falign-functions=64 -falign-loops=64 -Wall -Wextra -Werror
        -I"$root/runtime" "${includes[@]}")
    # The "solo" rows need an offset of CPython's internal layout.
    if "$CC" -w "${includes[@]}" "$root/benches/runtime_offsets.c" -o "$dir/offsets" 2>/dev/null \
        && read -r head_off < <("$dir/offsets"); then
        cflags+=(-DBENCH_RT_HEAD_OFF="$head_off")
    else
        warn "$config: internal headers do not compile here: no solo rows"
    fi
    "$CC" "${cflags[@]}" "$src" -o "$dir/access" "${ldflags[@]}"
    "$CC" "${cflags[@]}" -fPIC -shared -DONCEVAR_BENCH_PART=1 "$src" \
        -o "$dir/libaccess_bench.so" "${ldflags[@]}"
    "$CC" "${cflags[@]}" -DONCEVAR_BENCH_PART=2 "$src" -o "$dir/access_pic" \
        -L"$dir" -laccess_bench -Wl,-rpath,"$dir" "${ldflags[@]}"
    "$CC" "${cflags[@]}" -fPIC -shared -DONCEVAR_BENCH_PART=3 "$src" \
        -o "$dir/oncevar_bench$("$config" --extension-suffix)"
    mkdir -p "$dir/plt"
    "$CC" "${cflags[@]}" -fPIC -shared -DONCEVAR_BENCH_PART=3 -DPy_ONCEVAR_NO_NOPLT "$src" \
        -o "$dir/plt/oncevar_bench$("$config" --extension-suffix)"
    PYTHONHOME="$prefix" "${pin[@]}" "$dir/access" "$accesses" "$repeats"
    PYTHONHOME="$prefix" "${pin[@]}" "$dir/access_pic" "$accesses" "$repeats"
    if command -v "$python" >/dev/null 2>&1; then
        PYTHONPATH="$dir" "${pin[@]}" "$python" -c \
            "import oncevar_bench; oncevar_bench.run($accesses, $repeats, 'extension')"
        PYTHONPATH="$dir/plt" "${pin[@]}" "$python" -c \
            "import oncevar_bench; oncevar_bench.run($accesses, $repeats, 'extension, PLT')"
    else
        warn "$python not found: no extension-module run"
    fi
done
