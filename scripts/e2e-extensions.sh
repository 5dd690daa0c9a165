#!/usr/bin/env bash
# Rewrite real C extensions from PyPI with oncevar and run their own test
# suites before and after: simplejson and MarkupSafe (fetched, checksum-
# verified, by fetch-corpus.sh --extensions). Each is built in place, tested,
# rewritten with `oncevar check --fix --write-runtime`, rebuilt and tested
# again.
#
#   scripts/e2e-extensions.sh          # prints a table; exit 1 on failure
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ONCEVAR_ROOT/scripts/fetch-corpus.sh" --extensions >&2
cargo build --release --locked --quiet --manifest-path "$ONCEVAR_ROOT/Cargo.toml"
oncevar="$ONCEVAR_ROOT/target/release/oncevar"
work="$ONCEVAR_ROOT/.cache/e2e-extensions"
venv="$ONCEVAR_ROOT/.cache/venv-extensions"
if [ ! -x "$venv/bin/pytest" ]; then
    log "creating $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q setuptools pytest
fi
py="$venv/bin/python"

# name  source-dir  extension-source  test-command
packages=(
    "simplejson|simplejson-3.19.3|simplejson/_speedups.c|-m unittest discover -s simplejson/tests -t ."
    "markupsafe|markupsafe-2.1.5|src/markupsafe/_speedups.c|-m pytest -q -p no:cacheprovider tests"
)

run_tests() { # DIR ARGS -> prints "passed failed"
    local dir=$1 args=$2 log
    log=$(cd "$dir" && PYTHONPATH="$dir:$dir/src" "$py" $args 2>&1) || true
    printf '%s\n' "$log" >"$dir/.test.log"
    "$py" - "$dir/.test.log" <<'PY'
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
    (cd "$1" && CFLAGS="-I$1/oncevar-runtime" "$py" setup.py -q build_ext --inplace >"$1/.build.log" 2>&1) ||
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
