#!/usr/bin/env bash
# Rewrite CPython 3.11.2 with oncevar, every fix verified with the build's
# own compiler commands: `./configure`, then `bear -- make` writes the
# compilation database (Debian's package `bear`, installed here if missing);
# `oncevar check --fix --compile-commands` on a copy of the built tree
# compiles each fixed file with its unit's recorded command
# (`-fsyntax-only`) before and after the fix, and refuses a fix that breaks
# its unit. Also times the verification against the plain scan, side by
# side in one run (RUNS alternating runs of each, medians).
#
#   scripts/fix-cpython.sh [--unsafe-fixes] [--runs N] [--jobs N] [--rebuild]
#
# --unsafe-fixes also rewrites (and verifies) the sites whose fix is unsafe
# (CPython core, by the database's -DPy_BUILD_CORE). The build is kept in
# .cache/work/cpython-3.11.2-bear and reused (--rebuild starts it again; it
# took 28 minutes on 2 cores busy with other work); --jobs is make's -j
# (default 2).
# Prints the units of the database, the fixed files checked, verified,
# refused and not verifiable (their unit did not compile before, or the
# build does not compile the file: Modules/xxmodule.c, a template), and the
# timings. Exit 1 unless the fix of every fixed unit is verified.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

UNSAFE=() RUNS=3 JOBS=2 REBUILD=0
while [ $# -gt 0 ]; do
    case "$1" in
        --unsafe-fixes) UNSAFE=(--unsafe-fixes) ;;
        --runs) RUNS=${2:?--runs needs a number}; shift ;;
        --jobs) JOBS=${2:?--jobs needs a number}; shift ;;
        --rebuild) REBUILD=1 ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument: $1 (try --help)" ;;
    esac
    shift
done

"$ONCEVAR_ROOT/scripts/fetch-corpus.sh" >&2
pristine="$ONCEVAR_ROOT/.cache/corpus/cpython-3.11.2"
build="$ONCEVAR_ROOT/.cache/work/cpython-3.11.2-bear"
stamp="$ONCEVAR_ROOT/.cache/stamps/cpython-3.11.2-bear"
work="$ONCEVAR_ROOT/.cache/work/cpython-3.11.2-fixed"
out="$ONCEVAR_ROOT/.cache/reports/fix-cpython"
rm -rf "$out" && mkdir -p "$out"

# The build's tools and the headers of CPython's optional modules (so that
# their units compile before the fix, rather than "its library is missing").
need=()
for pkg in bear build-essential pkg-config libffi-dev libssl-dev libncurses-dev libbz2-dev \
           liblzma-dev libgdbm-dev libgdbm-compat-dev libsqlite3-dev libreadline-dev tk-dev \
           uuid-dev zlib1g-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${need[@]}" >/dev/null
fi

log "building oncevar (release)"
oncevar="$(build_oncevar --release)"

# 1. The build under bear (kept: the database names this folder).
if [ "$REBUILD" = 1 ] || [ ! -f "$stamp" ] || [ ! -s "$build/compile_commands.json" ]; then
    log "configuring and building CPython under bear in $build (make -j$JOBS; half an hour on 2 busy cores)"
    rm -rf "$build" "$stamp"
    mkdir -p "$(dirname "$build")" "$(dirname "$stamp")"
    cp -a "$pristine" "$build"
    t0=$SECONDS
    (cd "$build" && ./configure --quiet >"$out/configure.log" 2>&1) ||
        { tail -20 "$out/configure.log" >&2; die "configure failed"; }
    (cd "$build" && bear --output compile_commands.json -- make -j"$JOBS" >"$out/make.log" 2>&1) ||
        { tail -20 "$out/make.log" >&2; die "make failed (under bear)"; }
    [ -s "$build/compile_commands.json" ] || die "bear wrote no compilation database"
    echo "$((SECONDS - t0))" >"$stamp"
else
    log "reusing the build in $build (built in $(cat "$stamp")s; --rebuild to start again)"
fi

# 2. A copy of the built tree (sources and generated headers, no objects),
# with the database's paths moved to it.
log "copying the built tree to $work"
rm -rf "$work"
mkdir -p "$work"
(cd "$build" && tar -cf - --exclude='*.o' --exclude='*.so' --exclude='*.a' .) | (cd "$work" && tar -xf -)
# The database names the build by its real path (.cache may be a link, as
# in a git worktree that shares another's cache): both spellings move.
build_real="$(cd "$build" && pwd -P)"
sed "s|$build/|$work/|g; s|$build\"|$work\"|g; s|$build_real/|$work/|g; s|$build_real\"|$work\"|g" \
    "$build/compile_commands.json" >"$work/compile_commands.json"
db="$work/compile_commands.json"
cd "$work"

# 3. The plain scan and the scan with verification, alternating, timed.
: >"$out/times.txt"
for i in $(seq "$RUNS"); do
    for mode in scan verify; do
        args=(check --compile-commands "$db" "${UNSAFE[@]}" --output-format json)
        [ "$mode" = verify ] && args+=(--verify)
        start=$(date +%s.%N)
        status=0
        "$oncevar" "${args[@]}" . >"$out/$mode.json" 2>"$out/$mode.stderr" || status=$?
        end=$(date +%s.%N)
        [ "$status" -le 2 ] || { cat "$out/$mode.stderr" >&2; die "oncevar $mode failed (exit $status)"; }
        echo "$mode $i $(echo "$end - $start" | bc)" >>"$out/times.txt"
    done
done

# 4. The fix itself, verified.
status=0
"$oncevar" check --fix --compile-commands "$db" "${UNSAFE[@]}" --output-format json . \
    >"$out/after-fix.json" 2>"$out/fix.stderr" || status=$?
echo "$status" >"$out/fix.status"
log "oncevar check --fix exit $status; stderr in $out/fix.stderr"

python3 - "$out" "$db" "$work" "${UNSAFE[*]}" <<'PY'
import json, os, re, statistics, sys
out, db_path, root, mode = sys.argv[1:5]
unsafe = "--unsafe-fixes" in mode
db = json.load(open(db_path))
units = {os.path.normpath(os.path.join(e["directory"], e["file"])) for e in db}
report = json.load(open(os.path.join(out, "verify.json")))
applied = [f for f in report["findings"]
           if f["fix"] and (unsafe or f["fix"]["safety"] == "safe")]
by_file = {}
for f in applied:
    path = os.path.normpath(os.path.join(root, f["path"]))
    by_file.setdefault(path, set()).add(f["fix"]["verified"])
checked = {p: v for p, v in by_file.items() if p in units}
rel = lambda p: os.path.relpath(p, root)  # noqa: E731
no_unit = sorted(rel(p) for p in by_file if p not in units)
verified = sorted(rel(p) for p, v in checked.items() if v == {True})
refused = sorted(rel(p) for p, v in checked.items() if False in v)
broken = sorted(rel(p) for p, v in checked.items() if v == {None})
times = {"scan": [], "verify": []}
for line in open(os.path.join(out, "times.txt")):
    m, _, t = line.split()
    times[m].append(float(t))
scan, ver = statistics.median(times["scan"]), statistics.median(times["verify"])
fix_stderr = open(os.path.join(out, "fix.stderr")).read()
fix_status = int(open(os.path.join(out, "fix.status")).read())
m = re.search(r"verified (\d+) fixed files?", fix_stderr)
fix_verified = int(m.group(1)) if m else 0
fixable = [f for f in report["findings"] if f["fix"]]
listing = lambda paths: "".join(f"\n    {p}" for p in paths)  # noqa: E731
print(f"database units:                {len(units)} (written by bear -- make)")
print(f"sites reported:                {len(report['findings'])}")
print(f"sites with a fix applied:      {len(applied)}" + (" (--unsafe-fixes)" if unsafe else " (safe fixes)"))
print(f"sites with an unsafe fix left: {len(fixable) - len(applied)}")
print(f"fixed files:                   {len(by_file)}")
print(f"units checked:                 {len(checked)} (each compiled before and after its fix)")
print(f"  verified:                    {len(verified)}")
print(f"  refused:                     {len(refused)}{listing(refused)}")
print(f"  did not compile before:      {len(broken)}{listing(broken)}")
print(f"fixed files the build does not compile (no unit: not verifiable, fixed as without "
      f"a database): {len(no_unit)}{listing(no_unit)}")
print(f"--fix:                         exit {fix_status}, verified {fix_verified} fixed files")
print(f"plain scan:                    median {scan:.2f}s over {len(times['scan'])} runs "
      f"({' '.join(f'{t:.2f}' for t in times['scan'])})")
print(f"scan + verification:           median {ver:.2f}s over {len(times['verify'])} runs "
      f"({' '.join(f'{t:.2f}' for t in times['verify'])})")
print(f"verification alone:            {ver - scan:.2f}s ({ver / scan:.1f}x the plain scan)")
ok = (not refused and not broken and fix_status in (0, 1)
      and fix_verified == len(verified) == len(checked))
print("every fixed unit verified" if ok else "NOT every fixed unit verified")
sys.exit(0 if ok else 1)
PY
