#!/usr/bin/env bash
# End to end on the free-threaded build of CPython 3.13 (issue 14).
#
#   scripts/e2e-freethreading.sh               # build (cached) and check
#   scripts/e2e-freethreading.sh --build-only  # only fetch and build CPython
#   scripts/e2e-freethreading.sh --jobs N      # make -jN (default 2)
#
# 1. Fetches Debian trixie's python3.13 source package (3.13.5, orig tarball
#    verified by sha256) through a private apt configuration (a deb-src line
#    for trixie in the cache; the machine's apt sources are not touched; the
#    versions trixie serves are logged, so a newer one shows), and
#    builds it twice with --disable-gil: "release" (default flags) and
#    "debug" (--with-pydebug, for reference counts). Builds are cached
#    outside the clone: $ONCEVAR_FT_CACHE, default ~/.cache/oncevar-freethreading.
# 2. Runs the runtime's C tests (tests/runtime/*.c) against both builds, and
#    again built with -fsanitize=thread against the release build; the
#    first-access race (tests/runtime/publish.c: 8 threads in each of the
#    main interpreter and two sub-interpreters) runs TSAN_RUNS times. A TSan
#    report in the runtime (a frame in oncevar.h) fails the run.
# 3. Builds a small extension of our own (scripts/e2e/ft_ext/) that claims
#    Py_MOD_GIL_NOT_USED and has a lazy cache: `oncevar check` must report
#    OV401; `oncevar check --fix` applies the fix; 16 threads per interpreter
#    hammer it (main + two sub-interpreters): each interpreter must see
#    exactly one object, and under the debug build no reference leaks.
# Prints the figures and a verdict (exit 0 PASS, 1 FAIL).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

BUILD_ONLY=0
JOBS=2
while [ $# -gt 0 ]; do
    case "$1" in
        --build-only) BUILD_ONLY=1 ;;
        --jobs) JOBS=${2:?--jobs needs a number}; shift ;;
        --jobs=*) JOBS=${1#--jobs=} ;;
        -h | --help) sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (try --help)" ;;
    esac
    shift
done

PYVER=3.13.5
DEBVER=3.13.5-2+deb13u5
ORIG=python3.13_${PYVER}.orig.tar.xz
ORIG_SHA256=93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640
CACHE=${ONCEVAR_FT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oncevar-freethreading}
mkdir -p "$CACHE"

# --------------------------------------------------------------------------
# 1. Source and builds
# --------------------------------------------------------------------------
fetch_source() {
    local apt="$CACHE/apt"
    if verify_sha256 "$CACHE/$ORIG" "$ORIG_SHA256"; then
        return 0
    fi
    mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/etc"
    printf 'deb-src http://deb.debian.org/debian trixie main\n' >"$apt/etc/sources.list"
    local -a opts=(-o "Dir::Etc::sourcelist=$apt/etc/sources.list" -o Dir::Etc::sourceparts=-
        -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt" -o APT::Get::List-Cleanup=0)
    log "fetching python3.13 $DEBVER sources (trixie)"
    opts+=(-o APT::Sandbox::User=root)
    apt-get "${opts[@]}" update -qq
    local served
    served="$(apt-cache "${opts[@]}" showsrc python3.13 | sed -n 's/^Version: //p' | sort -V | tr '\n' ' ')"
    log "trixie serves python3.13 $served(pinned: $DEBVER)"
    (cd "$CACHE" && apt-get "${opts[@]}" source --download-only -qq "python3.13=$DEBVER")
    require_sha256 "$CACHE/$ORIG" "$ORIG_SHA256"
}

build_variant() { # NAME CONFIGURE-FLAGS...
    local name=$1
    shift
    local prefix="$CACHE/$name" src="$CACHE/src-$name"
    if [ -f "$prefix/.built" ]; then
        log "cached: $prefix"
        return 0
    fi
    rm -rf "$prefix" "$src"
    extract_tarball "$CACHE/$ORIG" "$src"
    log "building CPython $PYVER ($name: --disable-gil $*), log: $CACHE/build-$name.log"
    (
        cd "$src"
        nice ./configure --prefix="$prefix" --disable-gil "$@" --without-ensurepip
        nice make -j"$JOBS"
        make install
    ) >"$CACHE/build-$name.log" 2>&1 || die "build $name failed, see $CACHE/build-$name.log"
    rm -rf "$src"
    touch "$prefix/.built"
}

# FT_VARIANTS (default "release debug") and TSAN_VARIANT (default release)
# narrow a run to the builds at hand, e.g. while the other one builds.
read -r -a VARIANTS <<<"${FT_VARIANTS:-release debug}"
TSAN_VARIANT=${TSAN_VARIANT:-release}
fetch_source
for variant in "${VARIANTS[@]}"; do
    case "$variant" in
        debug) build_variant debug --with-pydebug ;;
        release) build_variant release ;;
        *) die "unknown variant: $variant (release, debug)" ;;
    esac
done
[ "$BUILD_ONLY" = 1 ] && { log "built: ${VARIANTS[*]} in $CACHE"; exit 0; }

# --------------------------------------------------------------------------
# 2. The runtime's C tests, plain and under ThreadSanitizer
# --------------------------------------------------------------------------
LOGS="$CACHE/logs"
rm -rf "$LOGS"
mkdir -p "$LOGS"
TSAN_RUNS=${TSAN_RUNS:-10}
FAIL=0
fail() { warn "FAIL: $*"; FAIL=1; }

config_of() { # VARIANT -> path of its python3.13*-config
    local c
    for c in "$CACHE/$1"/bin/python3.13*-config; do
        [ -x "$c" ] && { echo "$c"; return 0; }
    done
    die "no python3.13*-config in $CACHE/$1/bin"
}
python_of() { # VARIANT -> path of its interpreter
    local c
    for c in "$CACHE/$1"/bin/python3.13t "$CACHE/$1"/bin/python3.13td "$CACHE/$1"/bin/python3.13; do
        [ -x "$c" ] && { echo "$c"; return 0; }
    done
    die "no python3.13 in $CACHE/$1/bin"
}

programs=()
for src in tests/runtime/*.c; do
    name=$(basename "$src" .c)
    case "$name" in *__*) continue ;; esac
    programs+=("$name")
done

C_PASSED=0
C_FAILED=0
build_c() { # CONFIG NAME OUT EXTRA-FLAGS...
    local config=$1 name=$2 out=$3
    shift 3
    local -a srcs=("tests/runtime/$name.c")
    local helper
    for helper in tests/runtime/"${name}"__*.c; do
        [ -e "$helper" ] && srcs+=("$helper")
    done
    # shellcheck disable=SC2046
    gcc -std=c99 -Wall -Wextra -Werror -g "$@" -Iruntime -Itests/runtime \
        $("$config" --includes) "${srcs[@]}" -o "$out" \
        $("$config" --ldflags --embed) -lpthread
}

for variant in "${VARIANTS[@]}"; do
    config="$(config_of "$variant")"
    log "runtime C tests against $variant ($("$(python_of "$variant")" -c 'import sys; print(sys.version.split()[0], "GIL enabled" if sys._is_gil_enabled() else "free-threaded")'))"
    for name in "${programs[@]}"; do
        bin="$LOGS/$variant-$name"
        if build_c "$config" "$name" "$bin" -O2 >"$LOGS/$variant-$name.build" 2>&1 \
            && timeout 600 "$bin" >"$LOGS/$variant-$name.out" 2>&1 \
            && grep -q '^ok: ' "$LOGS/$variant-$name.out"; then
            C_PASSED=$((C_PASSED + 1))
            grep '^ok: ' "$LOGS/$variant-$name.out" | sed "s/^/  [$variant] /" >&2
        else
            C_FAILED=$((C_FAILED + 1))
            fail "$variant $name (see $LOGS/$variant-$name.*)"
        fi
    done
done

# ThreadSanitizer: the runtime and the tests are instrumented; libpython is
# not (its own accesses are invisible to TSan, its pthread calls are not).
TSAN_REPORTS=0
TSAN_RUNTIME=0
TSAN_PROGRAMS=0
config="$(config_of "$TSAN_VARIANT")"
log "runtime C tests under ThreadSanitizer ($TSAN_VARIANT build; publish.c x $TSAN_RUNS)"
for name in "${programs[@]}"; do
    bin="$LOGS/tsan-$name"
    if ! build_c "$config" "$name" "$bin" -O1 -fsanitize=thread >"$LOGS/tsan-$name.build" 2>&1; then
        fail "TSan build of $name (see $LOGS/tsan-$name.build)"
        continue
    fi
    runs=1
    [ "$name" = publish ] && runs=$TSAN_RUNS
    for i in $(seq 1 "$runs"); do
        if ! TSAN_OPTIONS="halt_on_error=0 exitcode=0 log_path=$LOGS/tsan-$name.$i.report" \
            timeout 900 "$bin" >"$LOGS/tsan-$name.$i.out" 2>&1 \
            || ! grep -q '^ok: ' "$LOGS/tsan-$name.$i.out"; then
            fail "$name under TSan, run $i (see $LOGS/tsan-$name.$i.*)"
        fi
    done
    TSAN_PROGRAMS=$((TSAN_PROGRAMS + 1))
done
shopt -s nullglob
for report in "$LOGS"/tsan-*.report.*; do
    n=$(grep -c '^WARNING: ThreadSanitizer' "$report" || true)
    TSAN_REPORTS=$((TSAN_REPORTS + n))
    # A report is the runtime's when a frame of either racing access is in
    # oncevar.h (the access stacks come before "Location is" / "Thread T").
    r=$(awk '/^WARNING: ThreadSanitizer/{in_r=1; acc=1; hit=0}
             in_r && /^  (Location is|Thread T|Mutex )/{acc=0}
             in_r && acc && /oncevar\.h/{hit=1}
             /^SUMMARY: ThreadSanitizer/{if (in_r && hit) c++; in_r=0} END{print c+0}' "$report")
    TSAN_RUNTIME=$((TSAN_RUNTIME + r))
done
shopt -u nullglob
[ "$TSAN_RUNTIME" -eq 0 ] || fail "$TSAN_RUNTIME ThreadSanitizer report(s) in the runtime (see $LOGS/tsan-*.report.*)"
PUBLISH_LINE="$(grep -h '^ok: publish (' "$LOGS"/tsan-publish.*.out | head -1 || true)"

# --------------------------------------------------------------------------
# 3. An extension that claims Py_MOD_GIL_NOT_USED, before and after the fix
# --------------------------------------------------------------------------
THREADS=${THREADS:-16}
ITERATIONS=${ITERATIONS:-5000}
SUBS=2
CYCLES=${CYCLES:-20}
log "building oncevar (debug profile)"
cargo build --locked -q
ONCEVAR="$ONCEVAR_ROOT/target/debug/oncevar"
EXT="$CACHE/ext"
rm -rf "$EXT"
mkdir -p "$EXT"
cp scripts/e2e/ft_ext/ftcache.c scripts/e2e/ft_ext/hammer.py "$EXT/"

build_ext() { # VARIANT DIR
    local config
    config="$(config_of "$1")"
    mkdir -p "$2"
    # shellcheck disable=SC2046
    gcc -shared -fPIC -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
        -I"$EXT" $("$config" --includes) "$EXT/ftcache.c" \
        -o "$2/ftcache$("$config" --extension-suffix)"
}
hammer() { # VARIANT DIR LABEL
    local out="$LOGS/hammer-$3-$1.out"
    PYTHONPATH="$2" timeout 1200 "$(python_of "$1")" "$EXT/hammer.py" \
        "$THREADS" "$ITERATIONS" "$SUBS" "$CYCLES" >"$out" 2>&1 || true
    sed "s/^/  [$3 $1] /" "$out" >&2
}
field() { # FILE KEY -> value of KEY=... (first), or nothing
    { grep -o "$2=[-0-9]*" "$1" || true; } | head -1 | cut -d= -f2
}
count() { # FILE PATTERN -> number of matches (0 when none)
    { grep -o "$2" "$1" || true; } | wc -l
}

set +e
"$ONCEVAR" check --output-format json "$EXT/ftcache.c" >"$LOGS/check-before.json" 2>"$LOGS/check-before.err"
CHECK_STATUS=$?
set -e
OV401_BEFORE=$(count "$LOGS/check-before.json" '"code": *"OV401"')
ERRORS_BEFORE=$(count "$LOGS/check-before.json" '"severity": *"error"')
[ "$OV401_BEFORE" -ge 1 ] || fail "oncevar did not report OV401 on the extension"
log "oncevar check: exit $CHECK_STATUS, OV401 x $OV401_BEFORE, error severity x $ERRORS_BEFORE"
"$ONCEVAR" check "$EXT/ftcache.c" >"$LOGS/check-before.txt" 2>&1 || true

for variant in "${VARIANTS[@]}"; do
    build_ext "$variant" "$EXT/before-$variant" || fail "building the extension ($variant)"
    hammer "$variant" "$EXT/before-$variant" before
done

"$ONCEVAR" check --fix "$EXT/ftcache.c" >"$LOGS/fix.txt" 2>&1 || true
"$ONCEVAR" runtime --write "$EXT" >/dev/null
grep -q 'Py_ONCEVAR_SET(token_cache' "$EXT/ftcache.c" || fail "the fix does not publish with Py_ONCEVAR_SET"
diff -u scripts/e2e/ft_ext/ftcache.c "$EXT/ftcache.c" >"$LOGS/fix.diff" || true
set +e
"$ONCEVAR" check --output-format json "$EXT/ftcache.c" >"$LOGS/check-after.json" 2>/dev/null
set -e
OV401_AFTER=$(count "$LOGS/check-after.json" '"code": *"OV401"')
[ "$OV401_AFTER" -eq 0 ] || fail "OV401 still reported after the fix"

for variant in "${VARIANTS[@]}"; do
    build_ext "$variant" "$EXT/after-$variant" || fail "building the fixed extension ($variant)"
    hammer "$variant" "$EXT/after-$variant" after
    out="$LOGS/hammer-after-$variant.out"
    for interp in main sub0 sub1; do
        n=$({ grep "^interp $interp " "$out" || true; } | { grep -o 'objects=[0-9]*' || true; } | cut -d= -f2)
        [ "${n:-x}" = 1 ] || fail "after the fix, $variant interpreter $interp saw ${n:-no} objects (want 1)"
    done
    d=$(field "$out" distinct-across-interpreters)
    [ "${d:-x}" = $((SUBS + 1)) ] || fail "after the fix, $variant: ${d:-?} distinct objects across interpreters (want $((SUBS + 1)))"
    if [ "$variant" = debug ]; then
        r=$(field "$out" refs-delta)
        [ "${r:-x}" = 0 ] || fail "after the fix, debug build: refs-delta=${r:-?} over $CYCLES sub-interpreter cycles (want 0)"
    fi
done

# --------------------------------------------------------------------------
# 4. Figures and verdict
# --------------------------------------------------------------------------
summary() { # LABEL VARIANT
    local out="$LOGS/hammer-$1-$2.out"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" \
        "$({ grep -o 'objects=[0-9]*' "$out" || true; } | cut -d= -f2 | paste -sd/ -)" \
        "$(field "$out" distinct-across-interpreters)" \
        "$(field "$out" created)" \
        "$(field "$out" refs-delta)"
}
echo
echo "## Free-threaded CPython $PYVER ($DEBVER, --disable-gil; release and --with-pydebug)"
echo
echo "runtime C tests: $C_PASSED passed, $C_FAILED failed (${#programs[@]} programs x ${#VARIANTS[@]} builds: ${VARIANTS[*]})"
echo "ThreadSanitizer ($TSAN_VARIANT build): $TSAN_PROGRAMS programs, publish.c x $TSAN_RUNS; reports: $TSAN_REPORTS in all, $TSAN_RUNTIME in the runtime (the others: libpython's own allocator, uninstrumented)"
[ -n "$PUBLISH_LINE" ] && echo "  last race: ${PUBLISH_LINE#ok: }"
echo "extension: OV401 x $OV401_BEFORE before the fix ($ERRORS_BEFORE at error severity), $OV401_AFTER after"
echo "hammer: $THREADS threads x $ITERATIONS calls in the main interpreter and in $SUBS sub-interpreters; $CYCLES sub-interpreter cycles for refs"
echo
echo "| extension | build | objects seen (main/sub0/sub1) | distinct across interpreters | objects created | refs delta (debug) |"
echo "|---|---|---|---:|---:|---:|"
for label in before after; do
    for variant in "${VARIANTS[@]}"; do
        summary "$label" "$variant"
    done
done
echo
if [ "$FAIL" = 0 ]; then
    echo "PASS (logs: $LOGS)"
else
    echo "FAIL (logs: $LOGS)"
fi
exit "$FAIL"
