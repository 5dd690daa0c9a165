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
# read so built. "get/set" is the shape `oncevar check --fix` writes where a
# module may run without the GIL (Py_ONCEVAR_GET guard, Py_ONCEVAR_SET fill,
# Py_ONCEVAR_GET read) against the plain guard that checks its fill for NULL
# ("guard+check", the same shape with Py_ONCEVAR: how most code is written).
#
# ROUNDS=N (default 1) runs every CPython N times, side by side: round 1 in
# the order of $PYTHON_CONFIGS, round 2 in the reverse order, and so on, so
# that a drift of the machine's load falls on each alike; with N > 1 it ends
# with a table, per CPython and case, of the median over the rounds of each
# round's median difference (ns per iteration, extension module), each
# round's output kept in $ONCEVAR_BENCH_DIR/rounds.
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
rounds=${ROUNDS:-1}
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number, not $rounds"
# bench_dir INDEX CONFIG -> the directory of a configuration's builds (the
# index tells apart two CPythons whose executables share a name).
bench_dir() {
    local python=${2%-config}
    echo "$out/$1-$(basename "$python")"
}

# build_config INDEX CONFIG: the four builds of one CPython.
build_config() {
    local config=$2 prefix python dir head_off
    local -a includes ldflags cflags
    command -v "$config" >/dev/null 2>&1 || die "$config not found (set PYTHON_CONFIGS)"
    read -r -a includes <<<"$("$config" --includes)"
    read -r -a ldflags <<<"$("$config" --ldflags --embed)"
    dir="$(bench_dir "$1" "$config")"
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
}

# run_config INDEX CONFIG: runs the four builds of one CPython, each case
# alternating plain and oncevar.
run_config() {
    local config=$2 prefix python dir
    prefix="$("$config" --prefix)"
    python="${config%-config}"
    dir="$(bench_dir "$1" "$config")"
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
}

for i in "${!configs[@]}"; do
    build_config "$i" "${configs[$i]}"
done
if [ "$rounds" = 1 ]; then
    for i in "${!configs[@]}"; do
        run_config "$i" "${configs[$i]}"
    done
    exit 0
fi
rm -rf "$out/rounds"
mkdir -p "$out/rounds"
for round in $(seq 1 "$rounds"); do
    order=("${!configs[@]}")
    if [ $((round % 2)) = 0 ]; then
        order=()
        for ((i = ${#configs[@]} - 1; i >= 0; i--)); do order+=("$i"); done
    fi
    for i in "${order[@]}"; do
        echo "# round $round of $rounds: ${configs[$i]}"
        run_config "$i" "${configs[$i]}" | tee "$out/rounds/$round-$i.txt"
    done
done
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
echo
echo "# ns added per iteration over the plain loop, extension module: median over $rounds rounds"
echo "# of each round's median of $repeats (plain loop: its median over the rounds)"
# The rows of every round's extension run: CASE and DIFF (the case names
# hold spaces: the columns are read from the right).
for i in "${!configs[@]}"; do
    version=$(awk '/^# oncevar access benchmark: CPython/{sub(/,$/, "", $6); print $6; exit}' \
        "$out/rounds/1-$i.txt")
    awk -v version="$version" -v config="${configs[$i]}" '
        /^# oncevar access benchmark:/ { ext = ($0 ~ /, extension$/) }
        ext && $NF ~ /x$/ && $(NF-1) ~ /^[-+]/ {
            name = $0; sub(/ +extension .*/, "", name)
            if (!(name in seen)) { seen[name] = 1; order[++n] = name }
            d[name, ++cnt[name]] = $(NF-1); p[name, cnt[name]] = $(NF-3)
        }
        function med(a, name, k,    v, i, j, t, m) {
            m = cnt[name]
            for (i = 1; i <= m; i++) v[i] = a[name, i] + 0
            for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) {
                t = v[j]; v[j] = v[j-1]; v[j-1] = t
            }
            return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
        }
        END {
            for (k = 1; k <= n; k++) {
                printf "%-10s %-12s %+7.2f  (plain %.2f; rounds:", version, order[k],
                    med(d, order[k]), med(p, order[k])
                for (i = 1; i <= cnt[order[k]]; i++) printf " %s", d[order[k], i]
                printf ")  %s\n", config
            }
        }' "$out/rounds/"*"-$i.txt"
done
