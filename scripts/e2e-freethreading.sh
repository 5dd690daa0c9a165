#!/usr/bin/env bash
# End to end on the free-threaded build of CPython 3.14 (issues 14, 20).
#
#   scripts/e2e-freethreading.sh               # build (cached) and check
#   scripts/e2e-freethreading.sh --build-only  # only the source and builds
#   scripts/e2e-freethreading.sh --jobs N      # make -jN (default 2)
#
# 1. Source: CPython 3.14.7's release. Debian's source packages cannot be
#    had from here: on 2026-12-06 the Sources indices of testing, unstable
#    and experimental list python3.14 (3.14.8-1 to 3.14.10-1) and python3.15
#    (3.15.0-1, 3.15.2-1), but every file of them (.dsc, orig tarball,
#    debian tarball) answers 404, where the binary packages download; and
#    no public snapshot of a 3.15 release was found (only 3.15.0a2+
#    development trees), so there is no 3.15t build. Checked again later
#    that day: unstable's Sources index gives python3.15 3.15.2-1 (.dsc
#    SHA-256 6d2a86ec...) and 3.15.0-1, `apt-get source --download-only`
#    of either gets 404 for all three files; the search tool knows no
#    repository named cpython-3.15 or cpython3.15 and no import of a 3.15
#    release. Checked again on 2026-12-07 (deb-src lines for testing and
#    unstable in a private apt configuration, `apt-get source
#    --download-only`): the index lists python3.14 3.14.8-1, 3.14.9-1 and
#    3.14.10-1 (3.14.10-1's .dsc SHA-256 f43aca95...), and all nine files
#    answer 404. CPython's own
#    repository is too large to bring, so the source is the release as
#    imported whole in commit 0edaa75d86fb of the public repository
#    tcchen2026/cpython-3.14 ("Import CPython 3.14.7 source release", the
#    python.org tarball with SHA-256 3b48dac8...). A script cannot bring a
#    repository: bring it with the search tool's fetch (github:tcchen2026/
#    cpython-3.14) and name its git directory in ONCEVAR_CPYTHON_MIRROR
#    (default /work/.mirror/tcchen2026+cpython-3.14/repo). The script checks
#    the commit's tree id, exports the tree into .cache/freethreading/
#    src-3.14.7 (the snapshot lacks Misc/svnmap.txt, which no build reads)
#    and checks the SHA-256 of the exported files' manifest; an exported
#    tree that passes the check is reused without the mirror.
# 2. Builds it twice with --disable-gil, out of tree, under nice, cached in
#    .cache/freethreading/3.14.7-VARIANT: "debug" (--with-pydebug, for
#    reference counts) and "tsan" (--with-thread-sanitizer, -O1). FT_VARIANTS
#    (default "debug tsan") narrows a run; "tsan-on-debug" instead of "tsan"
#    instruments only the tests and the extension, run on the debug build
#    with TSan's runtime preloaded (quicker: no second build).
# 3. Runs the runtime's C tests (tests/runtime/*.c) against both builds,
#    those of the tsan build compiled with -fsanitize=thread too and run with
#    CPython's own suppressions; publish.c and hammer.c run TSAN_RUNS times
#    (default 5). A ThreadSanitizer report with a racing access in oncevar.h
#    fails the run.
# 4. Builds a small extension of our own (scripts/e2e/ft_ext/) that claims
#    Py_MOD_GIL_NOT_USED and has two lazy caches (a new object; a class
#    imported with the module released before the NULL check): `oncevar
#    check` must report OV401; `oncevar check --fix` applies the fix; 16
#    threads per interpreter hammer it (main + two sub-interpreters): each
#    interpreter must see exactly one object and one class, and under the
#    debug build no reference leaks. Then the fixed module, built with
#    -fsanitize=thread, is hammered by the tsan build: no report may have a
#    racing access in the module or in oncevar.h (the code oncevar wrote);
#    the module before the fix is run the same way, and its races shown.
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
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument: $1 (try --help)" ;;
    esac
    shift
done

PYVER=3.14.7
MINOR=3.14
SNAPSHOT_REPO=tcchen2026/cpython-3.14
SNAPSHOT_COMMIT=0edaa75d86fbd8907f132ae567e4df8d31691849
SNAPSHOT_TREE=b3ee392f05763ddbf406a2beb56a0f59a3e5feb3
# Files the snapshot lacks (never read by a build).
SNAPSHOT_ABSENT=(Misc/svnmap.txt)
# sha256sum of every exported file (sorted by path, __pycache__ left out,
# since a build writes .pyc files into the source's Lib), hashed again.
MANIFEST_SHA256=0f7c1fe88994c64c48a043e75a3c73f8aa46b8073e472e2aee7fcff6c8296858
MIRROR=${ONCEVAR_CPYTHON_MIRROR:-/work/.mirror/tcchen2026+cpython-3.14/repo}
mkdir -p "$ONCEVAR_ROOT/.cache/freethreading"
CACHE="$(cd "$ONCEVAR_ROOT/.cache/freethreading" && pwd -P)"
SRC="$CACHE/src-$PYVER"

# --------------------------------------------------------------------------
# 1. Source and builds
# --------------------------------------------------------------------------
manifest_sha256() { # DIR
    (cd "$1" && find . -type f -not -path '*/__pycache__/*' -print0 | LC_ALL=C sort -z \
        | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

fetch_source() {
    if [ -d "$SRC" ] && [ "$(manifest_sha256 "$SRC")" = "$MANIFEST_SHA256" ]; then
        return 0
    fi
    [ -d "$MIRROR" ] || die "no CPython $PYVER source: bring github:$SNAPSHOT_REPO with the \
search tool's fetch and set ONCEVAR_CPYTHON_MIRROR to its git directory (see --help)"
    local tree
    tree="$(git --git-dir="$MIRROR" rev-parse --verify -q "$SNAPSHOT_COMMIT^{tree}")" \
        || die "$MIRROR lacks commit $SNAPSHOT_COMMIT of $SNAPSHOT_REPO"
    [ "$tree" = "$SNAPSHOT_TREE" ] || die "commit $SNAPSHOT_COMMIT has tree $tree, not $SNAPSHOT_TREE"
    log "exporting CPython $PYVER from $SNAPSHOT_REPO@${SNAPSHOT_COMMIT:0:12} into $SRC"
    local stage index
    stage="$(mktemp -d "$CACHE/.export.XXXXXX")"
    index="$stage.index"
    GIT_INDEX_FILE="$index" git --git-dir="$MIRROR" --work-tree="$stage" read-tree "$SNAPSHOT_COMMIT"
    GIT_INDEX_FILE="$index" git --git-dir="$MIRROR" --work-tree="$stage" rm -q --cached -- "${SNAPSHOT_ABSENT[@]}"
    GIT_INDEX_FILE="$index" git --git-dir="$MIRROR" --work-tree="$stage" checkout-index -a --prefix="$stage/"
    rm -f "$index"
    local got
    got="$(manifest_sha256 "$stage")"
    if [ "$got" != "$MANIFEST_SHA256" ]; then
        rm -rf "$stage"
        die "SHA-256 MISMATCH for the exported CPython $PYVER tree: expected $MANIFEST_SHA256, got $got"
    fi
    rm -rf "$SRC"
    mv "$stage" "$SRC"
}

# configure_quoted ARGS... -> the arguments as config.status --config
# prints them: each in single quotes when it holds anything but letters,
# digits and -_./=+,:@%.
configure_quoted() {
    local arg out=()
    for arg in "$@"; do
        if [[ "$arg" =~ ^[-A-Za-z0-9_./=+,:@%]*$ ]]; then
            out+=("$arg")
        else
            out+=("'${arg//\'/\'\\\'\'}'")
        fi
    done
    echo "${out[*]}"
}

build_variant() { # NAME CONFIGURE-FLAGS...
    local name=$1
    shift
    local prefix="$CACHE/$PYVER-$name" build="$CACHE/build-$PYVER-$name"
    if [ -f "$prefix/.built" ]; then
        log "cached: $prefix"
        return 0
    fi
    fetch_source
    local -a args=(--prefix="$prefix" --disable-gil "$@" --without-ensurepip)
    local resume=0 log="$CACHE/build-$PYVER-$name.log"
    # An interrupted build (a TSan build takes hours on a busy machine)
    # goes on where it stopped when its configure ran with the same
    # arguments: config.status --config prints them as configure quoted
    # them.
    if [ -x "$build/config.status" ] \
        && [ "$("$build/config.status" --config)" = "$(configure_quoted "${args[@]}")" ]; then
        resume=1
        log "resuming the interrupted build of CPython $PYVER ($name) in $build, log: $log"
    else
        rm -rf "$prefix" "$build"
        mkdir -p "$build"
        log "building CPython $PYVER ($name: --disable-gil $*), log: $log"
    fi
    (
        cd "$build"
        [ "$resume" = 1 ] || nice "$SRC/configure" "${args[@]}"
        nice make -j"$JOBS"
        # make install ends by byte-compiling the whole library three
        # times (compileall -o 0 -o 1 -o 2) with the new interpreter: under
        # ThreadSanitizer that ran over an hour on 2 busy cores and was
        # killed. Its command is $(PYTHON_FOR_BUILD) (the build's ./python,
        # used by nothing else install runs once "all" is built, ensurepip
        # being off): ":" turns it into a no-op, and the interpreter
        # compiles each module it imports on first use instead.
        nice make install PYTHON_FOR_BUILD=:
    ) >>"$log" 2>&1 || die "build $name failed, see $log"
    rm -rf "$build"
    touch "$prefix/.built"
}

read -r -a VARIANTS <<<"${FT_VARIANTS:-debug tsan}"
for variant in "${VARIANTS[@]}"; do
    case "$variant" in
        debug | tsan-on-debug) build_variant debug --with-pydebug ;;
        # -O1: CPython's -O3 under -fsanitize=thread took hours to build on
        # 2 busy cores; TSan's own advice is -O1 anyway.
        tsan) build_variant tsan --with-thread-sanitizer OPT="-g -O1" ;;
        release) build_variant release ;;
        *) die "unknown variant: $variant (debug, tsan, tsan-on-debug, release)" ;;
    esac
done
[ "$BUILD_ONLY" = 1 ] && { log "built: ${VARIANTS[*]} in $CACHE"; exit 0; }
SUPPRESSIONS="$SRC/Tools/tsan/suppressions_free_threading.txt"
[ -f "$SUPPRESSIONS" ] || fetch_source

# --------------------------------------------------------------------------
# 2. The runtime's C tests, plain and under ThreadSanitizer
# --------------------------------------------------------------------------
LOGS="$CACHE/logs"
rm -rf "$LOGS"
mkdir -p "$LOGS"
TSAN_RUNS=${TSAN_RUNS:-5}
# Seconds a C test may run (the extension's hammer gets twice as long):
# under ThreadSanitizer, at a load of 16 on 2 cores, hammer.c did not end
# within 900.
RUN_TIMEOUT=${RUN_TIMEOUT:-900}
FAIL=0
fail() { warn "FAIL: $*"; FAIL=1; }
have() { local v; for v in "${VARIANTS[@]}"; do [ "$v" = "$1" ] && return 0; done; return 1; }
is_tsan() { [ "$1" = tsan ] || [ "$1" = tsan-on-debug ]; }
TSAN_VARIANT=
for v in "${VARIANTS[@]}"; do is_tsan "$v" && TSAN_VARIANT=$v; done
# The build a variant runs on: tsan-on-debug is the debug build with the
# programs and the extension instrumented, TSan's runtime preloaded (CPython
# itself is not instrumented: its own synchronisation is invisible to TSan).
build_of() { [ "$1" = tsan-on-debug ] && echo debug || echo "$1"; }
preload_of() { [ "$1" = tsan-on-debug ] && gcc -print-file-name=libtsan.so || true; }

config_of() { # VARIANT -> path of its python3.14*-config
    local c
    set -- "$(build_of "$1")"
    for c in "$CACHE/$PYVER-$1"/bin/python"$MINOR"t*-config "$CACHE/$PYVER-$1"/bin/python"$MINOR"*-config; do
        [ -x "$c" ] && { echo "$c"; return 0; }
    done
    die "no python$MINOR*-config in $CACHE/$PYVER-$1/bin"
}
python_of() { # VARIANT -> path of its interpreter
    local c
    set -- "$(build_of "$1")"
    for c in "$CACHE/$PYVER-$1"/bin/python"$MINOR"td "$CACHE/$PYVER-$1"/bin/python"$MINOR"t "$CACHE/$PYVER-$1"/bin/python"$MINOR"; do
        [ -x "$c" ] && { echo "$c"; return 0; }
    done
    die "no python$MINOR in $CACHE/$PYVER-$1/bin"
}
TSAN_ENV() { # LOG-PREFIX -> the TSAN_OPTIONS of a run
    echo "halt_on_error=0 exitcode=0 suppressions=$SUPPRESSIONS log_path=$1"
}
# tsan_reports REPORT-FILES... PATTERN -> how many reports have a racing
# access (the stacks before "Location is" / "Thread T") with a frame
# matching PATTERN.
tsan_reports() {
    local pattern=${*: -1} total=0 n f
    for f in "${@:1:$#-1}"; do
        [ -f "$f" ] || continue
        n=$(awk -v pat="$pattern" '/^WARNING: ThreadSanitizer/{in_r=1; acc=1; hit=0}
             in_r && /^  (Location is|Thread T|Mutex )/{acc=0}
             in_r && acc && $0 ~ pat {hit=1}
             /^SUMMARY: ThreadSanitizer/{if (in_r && hit) c++; in_r=0} END{print c+0}' "$f")
        total=$((total + n))
    done
    echo "$total"
}
all_reports() { # REPORT-FILES... -> how many reports in all
    cat "$@" 2>/dev/null | grep -c '^WARNING: ThreadSanitizer' || true
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

TSAN_REPORTS=0
TSAN_RUNTIME=0
for variant in "${VARIANTS[@]}"; do
    config="$(config_of "$variant")"
    flags=(-O2)
    is_tsan "$variant" && flags=(-O1 -fsanitize=thread)
    log "runtime C tests against $variant ($("$(python_of "$variant")" -c 'import sys; print(sys.version.split()[0], "GIL enabled" if sys._is_gil_enabled() else "free-threaded")'))"
    for name in "${programs[@]}"; do
        bin="$LOGS/$variant-$name"
        if ! build_c "$config" "$name" "$bin" "${flags[@]}" >"$bin.build" 2>&1; then
            C_FAILED=$((C_FAILED + 1))
            fail "$variant: building $name (see $bin.build)"
            continue
        fi
        runs=1
        if is_tsan "$variant" && { [ "$name" = publish ] || [ "$name" = hammer ]; }; then
            runs=$TSAN_RUNS
        fi
        ok=1
        for i in $(seq 1 "$runs"); do
            if ! TSAN_OPTIONS="$(TSAN_ENV "$bin.$i.report")" timeout "$RUN_TIMEOUT" "$bin" >"$bin.$i.out" 2>&1 \
                || ! grep -q '^ok: ' "$bin.$i.out"; then
                ok=0
                fail "$variant $name, run $i (see $bin.$i.*)"
            fi
        done
        if [ "$ok" = 1 ]; then
            C_PASSED=$((C_PASSED + 1))
            grep -h '^ok: ' "$bin".1.out | head -1 | sed "s/^/  [$variant] /" >&2
        else
            C_FAILED=$((C_FAILED + 1))
        fi
    done
done
if [ -n "$TSAN_VARIANT" ]; then
    shopt -s nullglob
    reports=("$LOGS/$TSAN_VARIANT"-*.report.*)
    shopt -u nullglob
    TSAN_REPORTS=$(all_reports "${reports[@]}")
    TSAN_RUNTIME=$(tsan_reports "${reports[@]}" 'oncevar\.h')
    [ "$TSAN_RUNTIME" -eq 0 ] || fail "$TSAN_RUNTIME ThreadSanitizer report(s) in the runtime (see $LOGS/tsan-*.report.*)"
fi

# --------------------------------------------------------------------------
# 3. An extension that claims Py_MOD_GIL_NOT_USED, before and after the fix
# --------------------------------------------------------------------------
THREADS=${THREADS:-16}
ITERATIONS=${ITERATIONS:-5000}
SUBS=2
CYCLES=${CYCLES:-20}
log "building oncevar (debug profile)"
ONCEVAR="$(build_oncevar)"
EXT="$CACHE/ext"
rm -rf "$EXT"
mkdir -p "$EXT"
cp scripts/e2e/ft_ext/ftcache.c scripts/e2e/ft_ext/hammer.py "$EXT/"

build_ext() { # VARIANT DIR
    local config extra=()
    config="$(config_of "$1")"
    is_tsan "$1" && extra=(-fsanitize=thread)
    mkdir -p "$2"
    # shellcheck disable=SC2046
    gcc -shared -fPIC -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter "${extra[@]}" \
        -I"$EXT" $("$config" --includes) "$EXT/ftcache.c" \
        -o "$2/ftcache$("$config" --extension-suffix)"
}
hammer() { # VARIANT DIR LABEL
    local out="$LOGS/hammer-$3-$1.out" cycles=$CYCLES iterations=$ITERATIONS
    # Under TSan: fewer calls (each is ten times slower), no leak cycles.
    is_tsan "$1" && { cycles=0; iterations=$((ITERATIONS / 10)); }
    LD_PRELOAD="$(preload_of "$1")" PYTHONPATH="$2" TSAN_OPTIONS="$(TSAN_ENV "$LOGS/hammer-$3-$1.report")" timeout $((2 * RUN_TIMEOUT)) \
        "$(python_of "$1")" "$EXT/hammer.py" "$THREADS" "$iterations" "$SUBS" "$cycles" >"$out" 2>&1 || true
    grep -v '^WARNING\|^  \|^SUMMARY\|^==\|^$' "$out" | sed "s/^/  [$3 $1] /" >&2
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
[ "$OV401_BEFORE" -ge 2 ] || fail "oncevar did not report OV401 twice on the extension"
log "oncevar check: exit $CHECK_STATUS, OV401 x $OV401_BEFORE, error severity x $ERRORS_BEFORE"
"$ONCEVAR" check "$EXT/ftcache.c" >"$LOGS/check-before.txt" 2>&1 || true

for variant in "${VARIANTS[@]}"; do
    build_ext "$variant" "$EXT/before-$variant" || fail "building the extension ($variant)"
    hammer "$variant" "$EXT/before-$variant" before
done

"$ONCEVAR" check --fix "$EXT/ftcache.c" >"$LOGS/fix.txt" 2>&1 || true
"$ONCEVAR" runtime --write "$EXT" >/dev/null
grep -q 'Py_ONCEVAR_SET(token_cache' "$EXT/ftcache.c" || fail "the fix does not publish token_cache with Py_ONCEVAR_SET"
grep -q 'Py_ONCEVAR_SET(counter_type' "$EXT/ftcache.c" || fail "the fix does not publish counter_type with Py_ONCEVAR_SET"
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
        line=$({ grep "^interp $interp " "$out" || true; } | head -1)
        n=$({ grep -o 'objects=[0-9]*' <<<"$line" || true; } | cut -d= -f2)
        k=$({ grep -o 'classes=[0-9]*' <<<"$line" || true; } | cut -d= -f2)
        [ "${n:-x}" = 1 ] || fail "after the fix, $variant interpreter $interp saw ${n:-no} objects (want 1)"
        [ "${k:-x}" = 1 ] || fail "after the fix, $variant interpreter $interp saw ${k:-no} classes (want 1)"
    done
    d=$(field "$out" distinct-across-interpreters)
    [ "${d:-x}" = $((SUBS + 1)) ] || fail "after the fix, $variant: ${d:-?} distinct objects across interpreters (want $((SUBS + 1)))"
    if [ "$variant" = debug ]; then
        r=$(field "$out" refs-delta)
        [ "${r:-x}" = 0 ] || fail "after the fix, debug build: refs-delta=${r:-?} over $CYCLES sub-interpreter cycles (want 0)"
    fi
done
EXT_BEFORE=n/a
EXT_AFTER=n/a
EXT_ALL_AFTER=n/a
if [ -n "$TSAN_VARIANT" ]; then
    shopt -s nullglob
    before=("$LOGS/hammer-before-$TSAN_VARIANT".report.*)
    after=("$LOGS/hammer-after-$TSAN_VARIANT".report.*)
    shopt -u nullglob
    EXT_BEFORE=$(tsan_reports "${before[@]}" 'ftcache\.c')
    EXT_AFTER=$(tsan_reports "${after[@]}" 'ftcache\.c|oncevar\.h')
    EXT_ALL_AFTER=$(all_reports "${after[@]}")
    [ "$EXT_AFTER" -eq 0 ] || fail "$EXT_AFTER ThreadSanitizer report(s) in the code oncevar wrote (see $LOGS/hammer-after-$TSAN_VARIANT.report.*)"
fi

# --------------------------------------------------------------------------
# 4. Figures and verdict
# --------------------------------------------------------------------------
summary() { # LABEL VARIANT
    local out="$LOGS/hammer-$1-$2.out"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" \
        "$({ grep -o 'objects=[0-9]*' "$out" || true; } | cut -d= -f2 | paste -sd/ -)" \
        "$({ grep -o 'classes=[0-9]*' "$out" || true; } | cut -d= -f2 | paste -sd/ -)" \
        "$(field "$out" distinct-across-interpreters)" \
        "$(field "$out" refs-delta)"
}
echo
echo "## Free-threaded CPython $PYVER ($SNAPSHOT_REPO@${SNAPSHOT_COMMIT:0:12}, --disable-gil: ${VARIANTS[*]})"
echo
echo "runtime C tests: $C_PASSED passed, $C_FAILED failed (${#programs[@]} programs x ${#VARIANTS[@]} builds: ${VARIANTS[*]})"
[ -n "$TSAN_VARIANT" ] && echo "ThreadSanitizer ($TSAN_VARIANT, CPython's suppressions; publish.c and hammer.c x $TSAN_RUNS): $TSAN_REPORTS report(s) in all, $TSAN_RUNTIME in the runtime"
echo "extension: OV401 x $OV401_BEFORE before the fix ($ERRORS_BEFORE at error severity), $OV401_AFTER after"
[ -n "$TSAN_VARIANT" ] && echo "extension under ThreadSanitizer ($TSAN_VARIANT): $EXT_BEFORE report(s) in ftcache.c before the fix; after: $EXT_AFTER in the code oncevar wrote ($EXT_ALL_AFTER in all)"
echo "hammer: $THREADS threads x $ITERATIONS calls in the main interpreter and in $SUBS sub-interpreters; $CYCLES sub-interpreter cycles for refs (debug)"
echo
echo "| extension | build | objects seen (main/sub0/sub1) | classes seen | distinct across interpreters | refs delta (debug) |"
echo "|---|---|---|---|---:|---:|"
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
