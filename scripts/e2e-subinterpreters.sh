#!/usr/bin/env bash
# Build every fixture that defines a module (a PyInit_* function) before and
# after `oncevar check --fix`, and run each in sub-interpreters created and
# destroyed in a loop under Debian's debug build of CPython 3.11, or the
# CPython that PYTHON names (scripts/e2e/subinterp.py): legacy
# sub-interpreters (sharing the main interpreter's GIL) on every CPython,
# and on 3.12+ isolated ones too (each with its own GIL; only a module that
# declares Py_MOD_PER_INTERPRETER_GIL_SUPPORTED loads there). The main
# interpreter's results must be the same after the fix, the fixed module
# must leave the same total reference count (sys.gettotalrefcount) after the
# loop as the original, function by function where the module has more
# than one (each is also run alone; fewer references are allowed only in a
# function the fix makes give in sub-interpreters what it gives in main:
# scripts/e2e/judge.py), a sub-interpreter may
# not differ from the main one where the original did not, nor share an
# object with it that the original did not, and nothing may crash that did
# not crash before. Prints one line per module and kind of sub-interpreter,
# and the totals; exit 1 on any failure.
#
#   scripts/e2e-subinterpreters.sh [DIR...]
#
# Inputs: testdata/cases/*/ and the real-world inputs (both rounds) of
# ONCEVAR_REALWORLD (default: the `shared/realworld` folder beside the
# checkout or its parent, if there is one), plus any DIR given (a case
# folder: every .c file in it with a PyInit_ is a module, its header
# folders on the include path). ONCEVAR_BIN: a built oncevar (default: the
# release build, built here). LOOPS: sub-interpreters per run (default 12).
# RUN_TIMEOUT: seconds one run may take (default 300; an isolated
# sub-interpreter of 3.14's debug build takes about 2 s to create on a
# loaded machine; a run that times out exits 124). PYTHON: the interpreter
# (default python3.11-dbg; a release build has no total reference count,
# and the count is then not compared); PYTHON_CONFIG
# its python-config (default: PYTHON followed by -config). KINDS: the kinds
# of sub-interpreter, `legacy` and/or `isolated` (default: both on 3.12+,
# legacy before). A module that loads in no sub-interpreter of a kind,
# before the fix or after it, is skipped for that kind with the reason.
# ONLY: an extended regular expression; only the inputs whose label
# (cases/NAME, realworld/NAME) matches are run. KEEP=1 keeps the work
# folder (sources, builds, logs) and says where it is.
#
# Each module is built as it is with the runtime header beside it (a
# fixture may hold code a fix already wrote) and with implicit function
# declarations as errors (a function the Python lacks would otherwise build
# and fail at import as an undefined symbol). A module that does not build
# fails the run, unless NEWER_THAN below names it with the Python it needs
# and why: it is then skipped on older ones, by name, with that reason.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case "${1:-}" in
    -h | --help) usage; exit 0 ;;
esac

loops="${LOOPS:-12}"
run_timeout="${RUN_TIMEOUT:-300}"
python="${PYTHON:-python3.11-dbg}"
if [ "$python" = python3.11-dbg ]; then
    "$ONCEVAR_ROOT/scripts/setup.d/python-dbg.sh"
fi
command -v "$python" >/dev/null || die "no $python (set PYTHON)"
config="${PYTHON_CONFIG:-$python-config}"
command -v "$config" >/dev/null || die "no $config (set PYTHON_CONFIG)"
suffix="$("$python" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
if [ -n "${KINDS:-}" ]; then
    read -r -a kinds <<<"$KINDS"
elif "$python" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
    kinds=(legacy isolated)
else
    kinds=(legacy)
fi
for kind in "${kinds[@]}"; do
    case "$kind" in
    legacy | isolated) ;;
    *) die "unknown kind of sub-interpreter in KINDS: $kind (legacy or isolated)" ;;
    esac
done
log "$("$python" -c 'import platform, sys; print(platform.python_version() + (" debug" if hasattr(sys, "gettotalrefcount") else ""))'), sub-interpreters: ${kinds[*]}"
read -r -a includes <<<"$("$config" --includes)"
minor="$("$python" -c 'import sys; print(sys.version_info[1])')"

# Fixtures that use an API of a newer CPython than some of the matrix
# (label:source, the 3.X minor they need, why); nothing else may fail to build.
NEWER_THAN=(
    "cases/fix-ownership-out-argument:input.c	10	PyIter_Send and PYGEN_ERROR are CPython 3.10's"
    "cases/unit-clinic-methoddef-in-header:input/counter.c	11	its Argument Clinic output uses _PyCFunction_CAST (CPython 3.11)"
    "cases/fix-shared-header-units-disagree:input/a.c	13	its slot array names Py_mod_gil and Py_MOD_GIL_NOT_USED (CPython 3.13) with no stand-in"
)
# too_old NAME -> the reason module NAME (label:source) cannot build on this Python (status 0), or status 1.
too_old() {
    local entry label need why
    for entry in "${NEWER_THAN[@]}"; do
        IFS=$'\t' read -r label need why <<<"$entry"
        if [ "$label" = "$1" ] && [ "$minor" -lt "$need" ]; then
            echo "needs CPython 3.$need: $why"
            return 0
        fi
    done
    return 1
}

if [ -z "${ONCEVAR_BIN:-}" ]; then
    log "building oncevar (release)"
    ONCEVAR_BIN="$(build_oncevar --release)"
fi

realworld="${ONCEVAR_REALWORLD:-}"
if [ -z "$realworld" ]; then
    for candidate in "$ONCEVAR_ROOT/../shared/realworld" "$ONCEVAR_ROOT/../../shared/realworld"; do
        if [ -d "$candidate" ]; then
            realworld="$(cd "$candidate" && pwd -P)"
            break
        fi
    done
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/oncevar-subinterp.XXXXXX")"
if [ -n "${KEEP:-}" ]; then
    log "keeping the work folder $work"
else
    trap 'rm -rf "$work"' EXIT
fi

# Inputs as "label<TAB>folder to copy<TAB>module source relative to it".
inputs="$work/inputs.tsv"
: >"$inputs"
add_folder() { # add_folder LABEL FOLDER: every .c file with a PyInit_ in it
    local label=$1 folder=$2 file
    while IFS= read -r file; do
        printf '%s\t%s\t%s\n' "$label" "$folder" "${file#"$folder"/}" >>"$inputs"
    done < <(grep -rlE --include='*.c' '^\s*(PyMODINIT_FUNC|PyObject\s*\*)?\s*PyInit_' "$folder" | sort)
}
for case in "$ONCEVAR_ROOT"/testdata/cases/*/; do
    add_folder "cases/$(basename "$case")" "${case%/}"
done
if [ -n "$realworld" ]; then
    log "real-world inputs: $realworld"
    # The top-level inputs share their headers (inc/, unity-split-part.h):
    # each is built from a copy of the top level; a folder is a case.
    top="$work/realworld-top"
    mkdir -p "$top"
    find "$realworld" -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) -exec cp {} "$top" \;
    [ -d "$realworld/inc" ] && cp -r "$realworld/inc" "$top/inc"
    while IFS= read -r file; do
        printf '%s\t%s\t%s\n' "realworld/$(basename "$file")" "$top" "$(basename "$file")" >>"$inputs"
    done < <(grep -lE 'PyInit_' "$top"/*.c | sort)
    for case in "$realworld"/*/; do
        [ "$(basename "$case")" = inc ] && continue
        add_folder "realworld/$(basename "$case")" "${case%/}"
    done
else
    warn "no real-world inputs (set ONCEVAR_REALWORLD)"
fi
for dir in "$@"; do
    add_folder "$(basename "$dir")" "$(cd "$dir" && pwd -P)"
done

# build DIR SOURCE MODULE LOG: the module's shared library in DIR.
build() {
    local dir=$1 source=$2 module=$3 logfile=$4 flags=()
    while IFS= read -r header_dir; do
        flags+=("-I$header_dir")
    done < <(find "$dir" -name '*.h' -printf '%h\n' | sort -u)
    (cd "$dir" && gcc -shared -fPIC -O0 -g -w -Werror=implicit-function-declaration -I. "${flags[@]}" "${includes[@]}" \
        -o "$module$suffix" "$source") >"$logfile" 2>&1
}

# run DIR MODULE KIND OUT: subinterp.py's JSON in OUT; its exit status.
run() {
    local status=0
    timeout "$run_timeout" "$python" "$ONCEVAR_ROOT/scripts/e2e/subinterp.py" "$1" "$2" "$loops" "$3" \
        >"$4" 2>"$4.err" || status=$?
    return "$status"
}

if [ -n "${ONLY:-}" ]; then
    grep -E -- "^[^$(printf '\t')]*(${ONLY})" "$inputs" >"$inputs.only" || true
    log "ONLY=$ONLY: $(wc -l <"$inputs.only") of $(wc -l <"$inputs") modules"
    mv "$inputs.only" "$inputs"
fi

modules=0 built=0 passed=0 failed=0 skipped=0
failures=()
n=0
while IFS=$'\t' read -r label folder source; do
    n=$((n + 1))
    module="$(grep -oE 'PyInit_[A-Za-z0-9_]+' "$folder/$source" | head -n1)"
    module="${module#PyInit_}"
    modules=$((modules + 1))
    name="$label${source:+:$source}"
    before="$work/$n/before" after="$work/$n/after"
    mkdir -p "$before" "$after"
    cp -r "$folder"/. "$before"
    cp -r "$folder"/. "$after"
    find "$before" "$after" -name '*.snap' -delete
    if reason="$(too_old "$name")"; then
        skipped=$((skipped + 1))
        printf 'skip  %s: %s\n' "$name" "$reason"
        continue
    fi
    "$ONCEVAR_BIN" runtime --write "$before" >/dev/null 2>&1
    if ! build "$before" "$source" "$module" "$work/$n/build-before.log"; then
        failed=$((failed + 1))
        failures+=("$name: does not build as it is: $(grep -m1 error "$work/$n/build-before.log")")
        printf 'FAIL  %s: does not build as it is\n' "$name"
        continue
    fi
    rm -f "$after/$module$suffix"
    (cd "$after" && "$ONCEVAR_BIN" check --fix . >"$work/$n/fix.log" 2>&1) || true
    "$ONCEVAR_BIN" runtime --write "$after" >/dev/null 2>&1
    if ! build "$after" "$source" "$module" "$work/$n/build-after.log"; then
        failed=$((failed + 1))
        failures+=("$name: the fixed module does not build: $(grep -m1 error "$work/$n/build-after.log")")
        printf 'FAIL  %s: the fixed module does not build\n' "$name"
        continue
    fi
    built=$((built + 1))
    changed=$( (diff -rq "$before" "$after" --exclude="*.so" --exclude=oncevar.h || true) | wc -l)
    for kind in "${kinds[@]}"; do
        status_before=0 status_after=0
        run "$before" "$module" "$kind" "$work/$n/before-$kind.json" || status_before=$?
        run "$after" "$module" "$kind" "$work/$n/after-$kind.json" || status_after=$?
        verdict="$(python3 "$ONCEVAR_ROOT/scripts/e2e/judge.py" "$work/$n" "$status_before" "$status_after" "$changed" "$kind")"
        outcome="${verdict%%$'\t'*}" text="${verdict#*$'\t'}"
        case "$outcome" in
        ok) passed=$((passed + 1)) ;;
        SKIP) skipped=$((skipped + 1)) ;;
        *)
            failed=$((failed + 1))
            failures+=("$name [$kind]: $text")
            ;;
        esac
        printf '%-5s %s (%s) [%s]: %s\n' "$outcome" "$name" "$module" "$kind" "$text"
    done
done <"$inputs"

echo "modules: $modules, built before and after the fix: $built; runs (module x kind of sub-interpreter: ${kinds[*]}): passed: $passed, failed: $failed, skipped: $skipped"
if [ "$failed" -gt 0 ]; then
    printf '  %s\n' "${failures[@]}"
    exit 1
fi
