#!/usr/bin/env bash
# Rewrite real C extensions from PyPI with oncevar and run their own test
# suites before and after: simplejson and MarkupSafe (fetched, checksum-
# verified, by fetch-corpus.sh --extensions). Each is built in place, tested,
# rewritten with `oncevar check --fix --write-runtime`, rebuilt and tested
# again, under the CPython that PYTHON names.
#
#   scripts/e2e-extensions.sh          # prints a table; exit 1 on failure
#   PYTHON=~/.pyenv/versions/3.8.18/bin/python3.8 scripts/e2e-extensions.sh
#
# PYTHON: the interpreter that builds and tests the extensions (default
# python3; any CPython 3.8+, also an unpacked one of fetch-pythons.sh or a
# free-threaded build, which need no pip or ssl of their own); PYTHON_CONFIG
# its python-config (default: PYTHON followed by -config; its --includes
# are added to CFLAGS when it exists). Its build
# tools and test runner (setuptools, pytest) are installed for it into
# .cache/e2e-extensions/tools/TAG (TAG: its version, ABI flags and
# platform) by the pip of a virtual environment of this machine's python3
# (.cache/e2e-extensions/pip), run on PYTHON's behalf (pip --python) with no
# index, from the wheels it downloaded for PYTHON's version into
# .cache/e2e-extensions/wheels. ONCEVAR_BIN: a built oncevar (default: the
# release build, built here). The work folders are
# .cache/e2e-extensions/TAG/NAME-{before,after}. The script stops with an
# error when an extension was not compiled (the packages fall back to pure
# Python quietly) or the rebuilt one lacks the runtime.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case "${1:-}" in
    -h | --help) usage; exit 0 ;;
esac

"$ONCEVAR_ROOT/scripts/fetch-corpus.sh" --extensions >&2
if [ -z "${ONCEVAR_BIN:-}" ]; then
    ONCEVAR_BIN="$(build_oncevar --release)"
fi
oncevar="$ONCEVAR_BIN"
py="${PYTHON:-python3}"
command -v "$py" >/dev/null || die "no $py (set PYTHON)"
# The include flags of PYTHON's python-config go to the compiler too: an
# unpacked Debian CPython's Python.h includes a multiarch pyconfig.h that
# only they point to.
config="${PYTHON_CONFIG:-$py-config}"
cflags=()
if command -v "$config" >/dev/null; then
    read -r -a cflags <<<"$("$config" --includes)"
fi
tag="$("$py" -c 'import sys, sysconfig; print("cp%d%d%s-%s" % (sys.version_info[:2] + (sysconfig.get_config_var("ABIFLAGS") or "", sysconfig.get_platform())))')"
log "$("$py" -c 'import sys; print(sys.version.split()[0])') ($tag): $py"
root="$ONCEVAR_ROOT/.cache/e2e-extensions"
work="$root/$tag"
tools="$root/tools/$tag"
wheels="$root/wheels"
# Wheels for PYTHON's version (the newest setuptools and pytest that
# support it); pytest's dependencies that only older Pythons need
# (exceptiongroup, tomli, typing_extensions) are named, as pip download
# reads environment markers for the Python that runs it.
requirements=(setuptools pytest exceptiongroup tomli typing_extensions)
version="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
pip="$root/pip/bin/pip"
if [ ! -f "$tools/.complete" ]; then
    if [ ! -f "$root/pip/.upgraded" ]; then
        log "creating $root/pip"
        python3 -m venv "$root/pip" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
        # The newest pip: 23.2 cannot run under 3.15 ("Can't instantiate
        # abstract class WheelDistribution").
        PYTHONWARNINGS=ignore "$pip" install -q --root-user-action=ignore --upgrade pip ||
            die "upgrading pip in $root/pip failed"
        touch "$root/pip/.upgraded"
    fi
    if [ ! -f "$wheels/.complete-$version" ]; then
        log "downloading ${requirements[*]} for Python $version into $wheels"
        mkdir -p "$wheels"
        PYTHONWARNINGS=ignore "$pip" download -q --only-binary=:all: --python-version "$version" -d "$wheels" \
            "${requirements[@]}" || die "pip download of ${requirements[*]} failed"
        touch "$wheels/.complete-$version"
    fi
    log "installing setuptools and pytest for $tag into $tools"
    rm -rf "$tools"
    PYTHONWARNINGS=ignore "$pip" --python "$py" install -q --root-user-action=ignore --no-index --find-links "$wheels" \
        --target "$tools" setuptools pytest ||
        die "installing setuptools and pytest for $py failed (pip --python needs pip 22.3+)"
    # The folder is on PYTHONPATH, not a site folder, so its .pth files
    # (setuptools' distutils-precedence.pth, which lets MarkupSafe's setup.py
    # import distutils on 3.12+) are read by this sitecustomize.
    printf '%s\n' '"""Written by scripts/e2e-extensions.sh: read the .pth files of this folder."""' \
        'import os, site' 'site.addsitedir(os.path.dirname(os.path.abspath(__file__)))' \
        >"$tools/sitecustomize.py"
    touch "$tools/.complete"
fi
# A free-threaded CPython enables the GIL, with a RuntimeWarning, when it
# imports a module that does not declare Py_mod_gil (neither package does,
# before or after the fix); MarkupSafe's tests turn warnings into errors and
# simplejson's tool tests want an empty stderr, so the GIL is on from the
# start there (PYTHON_GIL=1), as the import would turn it on anyway.
gil=(env)
if [ "$("$py" -c 'import sysconfig; print(sysconfig.get_config_var("Py_GIL_DISABLED") or 0)')" = 1 ]; then
    gil=(env PYTHON_GIL=1)
fi
# name  source-dir  extension-source  test-command
packages=(
    "simplejson|simplejson-3.19.3|simplejson/_speedups.c|-m unittest discover -s simplejson/tests -t ."
    "markupsafe|markupsafe-2.1.5|src/markupsafe/_speedups.c|-m pytest -q -p no:cacheprovider tests"
)

run_tests() { # DIR ARGS -> prints "passed failed"
    local dir=$1 args=$2 log
    log=$(cd "$dir" && PYTHONPATH="$dir:$dir/src:$tools" "${gil[@]}" "$py" $args 2>&1) || true
    printf '%s\n' "$log" >"$dir/.test.log"
    python3 - "$dir/.test.log" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"Ran (\d+) tests?", text)
if m:  # unittest
    failed = sum(int(n) for n in re.findall(r"(?:failures|errors)=(\d+)", text))
    print(int(m.group(1)) - failed, failed)
else:  # pytest
    p = re.search(r"(\d+) passed", text); f = re.search(r"(\d+) failed", text)
    print(int(p.group(1)) if p else 0, int(f.group(1)) if f else 0)
PY
}

build() { # DIR
    (cd "$1" && CFLAGS="-I$1/oncevar-runtime ${cflags[*]}" PYTHONPATH="$tools" "$py" setup.py -q build_ext --inplace >"$1/.build.log" 2>&1) ||
        { cat "$1/.build.log" >&2; die "build failed in $1"; }
}

rows=() status=0
for entry in "${packages[@]}"; do
    IFS='|' read -r name src ext tests <<<"$entry"
    for phase in before after; do
        dir="$work/$name-$phase"
        rm -rf "$dir"
        mkdir -p "$work"
        cp -a "$ONCEVAR_ROOT/.cache/corpus/$src" "$dir"
        mkdir -p "$dir/oncevar-runtime"
        sites=-
        if [ "$phase" = after ]; then
            fixed=$("$oncevar" check --fix --write-runtime "$dir/oncevar-runtime" "$dir/$ext" 2>&1 >/dev/null | sed -n 's/^fixed \([0-9]*\) sites\{0,1\} .*/\1/p' || true)
            sites=${fixed:-0}
        fi
        build "$dir"
        if [ -z "$(find "$dir" -name '*.so' -print -quit)" ]; then
            die "$name: no extension was compiled in $dir (see $dir/.build.log)"
        fi
        if [ "$phase" = after ] && ! grep -rqa --include='*.so' 'oncevar.table' "$dir"; then
            die "$name: the rebuilt extension does not contain the oncevar runtime"
        fi
        read -r passed failed < <(run_tests "$dir" "$tests")
        eval "${phase}_passed=$passed ${phase}_failed=$failed ${phase}_sites=$sites"
    done
    verdict=PASS
    if [ "$after_failed" -gt "$before_failed" ] || [ "$after_passed" -lt "$before_passed" ] || [ "$before_passed" -eq 0 ]; then
        verdict=FAIL status=1
    fi
    rows+=("$(printf '| %-10s | %5s | %6s passed, %s failed | %6s passed, %s failed | %s |' \
        "$name" "$after_sites" "$before_passed" "$before_failed" "$after_passed" "$after_failed" "$verdict")")
done

echo
echo "| package    | fixed | tests before             | tests after              | verdict |"
echo "|------------|-------|--------------------------|--------------------------|---------|"
printf '%s\n' "${rows[@]}"
exit "$status"
