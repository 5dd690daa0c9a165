#!/usr/bin/env bash
# Run the end-to-end scripts that take a PYTHON on every CPython this
# machine has, one run at a time, and print the matrix (issue 20): CPython
# x script -> PASS/FAIL with the script's own counts.
#
#   scripts/e2e-matrix.sh                        # both scripts, every Python
#   scripts/e2e-matrix.sh subinterpreters        # only e2e-subinterpreters.sh
#   PYTHONS="/usr/bin/python3.11-dbg" scripts/e2e-matrix.sh extensions
#
# Scripts: `subinterpreters` (scripts/e2e-subinterpreters.sh: legacy
# sub-interpreters everywhere, isolated ones with their own GIL on 3.12+)
# and `extensions` (scripts/e2e-extensions.sh: simplejson and MarkupSafe
# rewritten by --fix, their test suites). The CPythons, one per version and
# the debug build where there is one (a debug build also compares the total
# reference count): pyenv's 3.8+ ($PYENV_ROOT, default ~/.pyenv), Debian's
# python3.11-dbg, the unpacked 3.14/3.15 debug builds of
# scripts/fetch-pythons.sh (.cache/pythons/3.X/bin/python3.Xd) and the
# free-threaded debug build of scripts/e2e-freethreading.sh
# (.cache/freethreading/*-debug/bin/python3.*td); a missing one is left
# out with a message. PYTHONS (space-separated interpreter paths) replaces
# the list; each needs its python-config beside it (NAME-config).
#
# ONCEVAR_BIN: a built oncevar (default: the release build, built here
# once). LOOPS goes to e2e-subinterpreters.sh. MATRIX_TIMEOUT bounds each
# run in seconds (default 3600). Logs: .cache/e2e-matrix/TAG-SCRIPT.log.
# Exit 1 when a run fails.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
esac
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || scripts=(subinterpreters extensions)
for s in "${scripts[@]}"; do
    case "$s" in
        subinterpreters | extensions) ;;
        *) die "unknown script: $s (subinterpreters or extensions)" ;;
    esac
done

if [ -n "${PYTHONS:-}" ]; then
    read -r -a pythons <<<"$PYTHONS"
else
    pythons=()
    pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    for dir in "$pyenv_root"/versions/3.*; do
        [ -d "$dir" ] || continue
        version="$(basename "$dir")"
        minor="${version#3.}"
        minor="${minor%%.*}"
        [[ "$minor" =~ ^[0-9]+$ ]] && [ "$minor" -ge 8 ] || continue
        pythons+=("$dir/bin/python3.$minor")
    done
    pythons+=(/usr/bin/python3.11-dbg)
    for v in 3.14 3.15; do
        pythons+=("$ONCEVAR_ROOT/.cache/pythons/$v/bin/python${v}d")
    done
    for dir in "$ONCEVAR_ROOT"/.cache/freethreading/*-debug/bin; do
        for p in "$dir"/python3.*td; do
            [[ "$p" == *-config ]] || pythons+=("$p")
        done
    done
fi

if [ -z "${ONCEVAR_BIN:-}" ]; then
    log "building oncevar (release)"
    ONCEVAR_BIN="$(build_oncevar --release)"
fi
export ONCEVAR_BIN

logs="$ONCEVAR_ROOT/.cache/e2e-matrix"
mkdir -p "$logs"
rows=() status=0
for py in "${pythons[@]}"; do
    if [ ! -x "$py" ] || [ ! -x "$py-config" ]; then
        warn "left out: $py (no such interpreter or no $py-config)"
        continue
    fi
    name="$("$py" -c 'import platform, sys, sysconfig; print(platform.python_version() + ("t" if sysconfig.get_config_var("Py_GIL_DISABLED") else "") + (" debug" if hasattr(sys, "gettotalrefcount") else ""))')" ||
        { warn "left out: $py (does not run)"; continue; }
    tag="${name// /-}"
    row="| $name |"
    for s in "${scripts[@]}"; do
        logfile="$logs/$tag-$s.log"
        log "$name: e2e-$s.sh (log: $logfile)"
        rc=0
        t0=$SECONDS
        nice timeout "${MATRIX_TIMEOUT:-3600}" env PYTHON="$py" PYTHON_CONFIG="$py-config" \
            "$ONCEVAR_ROOT/scripts/e2e-$s.sh" >"$logfile" 2>&1 || rc=$?
        verdict=PASS
        [ "$rc" -eq 0 ] || { verdict="FAIL (exit $rc)"; status=1; }
        case "$s" in
            subinterpreters) counts="$(grep -E '^modules: ' "$logfile" | tail -n1 || true)" ;;
            extensions) counts="$(grep -E '^\| (simplejson|markupsafe) ' "$logfile" |
                awk -F'|' '{for (i = 2; i <= 5; i++) gsub(/^ +| +$/, "", $i)
                    printf "%s%s: %s fixed, before %s, after %s;", (NR > 1 ? " " : ""), $2, $3, $4, $5}' || true)" ;;
        esac
        row+=" $verdict: ${counts:-no counts, see the log} ($((SECONDS - t0)) s) |"
        log "$name: e2e-$s.sh: $verdict"
    done
    rows+=("$row")
done

echo
header="| CPython |"
rule="|---|"
for s in "${scripts[@]}"; do
    header+=" \`e2e-$s.sh\` |"
    rule+="---|"
done
echo "$header"
echo "$rule"
printf '%s\n' "${rows[@]}"
exit "$status"
