#!/usr/bin/env bash
# Benchmark oncevar on CPython 3.11.2 against ast-grep and against `cat`, in
# one run, so that the ratios are measured side by side on the same machine:
#
#   * oncevar check (2 threads and 1), check --diff, check --no-prefilter;
#   * ast-grep scanning the same tree with benches/ast-grep/ (the same
#     question as rules: static pointers and the NULL guards around their
#     assignment), installed from PyPI into a venv under .cache/;
#   * cat of the same files: the floor, reading every byte once.
#
# Commands alternate within each round (after one warm-up round), and the
# table shows medians, CPU time (user + sys), peak RSS (/usr/bin/time -v)
# and ratios; a run that exits otherwise than 0 or 1 is counted and makes
# the script fail. It also checks that --no-prefilter gives byte-identical
# JSON. With valgrind on the machine, one run of `oncevar check -j 1` on
# CPython under callgrind counts its instructions, the figure that does
# not move with the machine's load (INSTRUCTIONS=0 skips it: it takes a
# few minutes; its report must be the same as without valgrind, where
# a parse's budget of processor time could cut it short). The machine's
# load average is printed before and after: on a shared machine the
# ratios hold, the absolute times do not. Last, the goals of issue 23 as
# a table (Markdown, for the README). scripts/bench-scale.sh times the
# other inputs of issue 23: 100,000 small files, generated files up to
# 50 MB, /usr/include.
#
#   scripts/bench.sh [ROUNDS]     # ROUNDS on CPython, default 7 (at least 5)
#   INSTRUCTIONS=0 scripts/bench.sh # no callgrind run
#
# Not part of the test suite: it needs the network once (corpus, ast-grep)
# and takes a few minutes. Raw times go to .cache/bench/times.tsv.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rounds="${1:-7}"
count_instructions="${INSTRUCTIONS:-1}"
[ "$rounds" -ge 5 ] || die "ROUNDS must be at least 5 (medians of at least 5 runs)"
AST_GREP_VERSION=0.51.1

"$ONCEVAR_ROOT/scripts/fetch-corpus.sh" >&2
tree="$ONCEVAR_ROOT/.cache/corpus/cpython-3.11.2"
work="$ONCEVAR_ROOT/.cache/bench"
mkdir -p "$work"

if [ ! -x /usr/bin/time ]; then
    log "installing GNU time (for peak RSS)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >&2
fi

venv="$ONCEVAR_ROOT/.cache/bench-venv"
ast_grep="$venv/bin/ast-grep"
if ! "$ast_grep" --version 2>/dev/null | grep -qx "ast-grep $AST_GREP_VERSION"; then
    log "installing ast-grep-cli $AST_GREP_VERSION into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "ast-grep-cli==$AST_GREP_VERSION"
fi

log "building oncevar (release)"
oncevar="$(build_oncevar --release)"
rules="$ONCEVAR_ROOT/benches/ast-grep/sgconfig.yml"

cd "$tree"
# The files oncevar scans (.c and .h; the tree has no .gitignore to honour),
# for cat.
find . -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z >"$work/files"
nfiles=$(tr -cd '\0' <"$work/files" | wc -c)
bytes=$(xargs -0 cat <"$work/files" | wc -c)

log "checking that the prefilter changes nothing"
status=0
"$oncevar" check . --output-format json >"$work/prefilter-on.json" 2>/dev/null || status=$?
[ "$status" -le 1 ] || die "oncevar check failed (exit $status)"
"$oncevar" check . --output-format json --no-prefilter -j 1 >"$work/prefilter-off.json" 2>/dev/null || true
if cmp -s "$work/prefilter-on.json" "$work/prefilter-off.json"; then
    identical=yes
else
    identical=NO
    warn "--no-prefilter changes the JSON report: diff $work/prefilter-{on,off}.json"
fi

has_diff=no
if "$oncevar" check --help | grep -q -- '--diff'; then
    has_diff=yes
fi

# name<TAB>command, run with bash -c in the corpus.
commands=(
    "oncevar -j2	$oncevar check . -j 2 --output-format json"
    "oncevar -j1	$oncevar check . -j 1 --output-format json"
)
if [ "$has_diff" = yes ]; then
    commands+=("oncevar --diff	$oncevar check . -j 2 --diff")
fi
commands+=(
    "oncevar --no-prefilter	$oncevar check . -j 2 --output-format json --no-prefilter"
    "ast-grep	$ast_grep scan -c $rules . --json=stream"
    "cat	xargs -0 cat <$work/files"
)

times="$work/times.tsv"
printf 'set\tname\tround\twall\tcpu\trss_kb\n' >"$times"

# run SET NAME ROUND COMMAND: appends wall, CPU and peak RSS to $times.
run() {
    local set=$1 name=$2 round=$3 command=$4 start end status=0
    start=$EPOCHREALTIME
    /usr/bin/time -v -o "$work/time.out" bash -c "$command" >/dev/null 2>&1 || status=$?
    end=$EPOCHREALTIME
    # oncevar exits 1 when it finds sites, ast-grep 0 (its rules are
    # warnings and infos); anything else is a failed run.
    if [ "$status" -gt 1 ]; then
        warn "$name (round $round) exited $status"
        failed=$((failed + 1))
    fi
    awk -v set="$set" -v name="$name" -v round="$round" -v start="$start" -v end="$end" '
        /User time/ { user = $NF } /System time/ { sys = $NF }
        /Maximum resident set size/ { rss = $NF }
        END { printf "%s\t%s\t%s\t%.4f\t%.3f\t%s\n", set, name, round, end - start, user + sys, rss }
    ' "$work/time.out" >>"$times"
}
failed=0

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "CPython: $nfiles files, $bytes bytes; 1 warm-up round + $rounds rounds"
for round in $(seq 0 "$rounds"); do
    for entry in "${commands[@]}"; do
        run cpython "${entry%%	*}" "$round" "${entry#*	}"
    done
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# Instructions: callgrind counts every instruction of every thread (-j 1:
# one worker, so the count does not depend on scheduling).
instructions=none
if [ "$count_instructions" != 0 ] && command -v valgrind >/dev/null; then
    log "counting instructions: oncevar check -j 1 under callgrind (a few minutes)"
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
        "$oncevar" check . -j 1 --output-format json >"$work/callgrind.json" 2>"$work/callgrind.log" || true
    instructions=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/callgrind.log" | tail -1)
    [ -n "$instructions" ] || instructions=none
    if ! cmp -s "$work/callgrind.json" "$work/prefilter-on.json"; then
        warn "the report under callgrind differs from the one without: diff $work/{callgrind,prefilter-on}.json"
        instructions=none
    fi
fi

python3 - "$times" "$bytes" "$identical" "$has_diff" "$load_before" "$load_after" \
    "$(nproc)" "$instructions" "$(date -u +%Y-%m-%d)" "$(git -C "$ONCEVAR_ROOT" rev-parse --short HEAD)" <<'EOF'
import statistics, sys

(times, corpus_bytes, identical, has_diff, load_before, load_after, cpus,
 instructions, day, commit) = sys.argv[1:]
rows = {}
for line in open(times).read().splitlines()[1:]:
    kind, name, rnd, wall, cpu, rss = line.split("\t")
    if rnd == "0":
        continue  # warm-up
    r = rows.setdefault((kind, name), {"wall": [], "cpu": [], "rss": []})
    r["wall"].append(float(wall))
    r["cpu"].append(float(cpu))
    r["rss"].append(int(rss))

med = {k: statistics.median(v["wall"]) for k, v in rows.items()}
base = med[("cpython", "oncevar -j2")]
print()
print(f"{cpus} CPUs; load average (1, 5, 15 min) {load_before} before, {load_after} after")
print(f"CPython 3.11.2, {int(corpus_bytes) / 1e6:.1f} MB; medians of {len(rows[('cpython', 'oncevar -j2')]['wall'])} alternating runs")
print(f"{'command':<24}{'wall s':>9}{'CPU s':>9}{'peak RSS':>10}{'÷ oncevar -j2':>16}")
for (kind, name), r in rows.items():
    if kind != "cpython":
        continue
    wall = med[(kind, name)]
    print(f"{name:<24}{wall:>9.3f}{statistics.median(r['cpu']):>9.2f}"
          f"{max(r['rss']) / 1024:>8.0f}MB{wall / base:>15.2f}x")
ratio = lambda a, b: med[("cpython", a)] / med[("cpython", b)]
cpu = lambda name: statistics.median(rows[("cpython", name)]["cpu"])
print()
print(f"ast-grep / oncevar -j2:       {ratio('ast-grep', 'oncevar -j2'):6.1f}x (CPU: {cpu('ast-grep') / cpu('oncevar -j2'):.1f}x)")
print(f"oncevar -j2 / cat:            {ratio('oncevar -j2', 'cat'):6.1f}x")
print(f"oncevar -j1 / -j2:            {ratio('oncevar -j1', 'oncevar -j2'):6.2f}x")
if has_diff == "yes":
    print(f"check --diff / check:         {ratio('oncevar --diff', 'oncevar -j2'):6.2f}x")
else:
    print("check --diff:                 not available in this build")
print(f"--no-prefilter / prefilter:   {ratio('oncevar --no-prefilter', 'oncevar -j2'):6.2f}x")
print(f"--no-prefilter JSON identical: {identical}")

# Issue 23's goals, measured in this run.
one = rows[("cpython", "oncevar -j2")]
wall = med[("cpython", "oncevar -j2")]
print()
print(f"Issue 23 on CPython 3.11.2 ({day}, {commit}, {cpus} CPUs, load {load_before} before, {load_after} after):")
print()
print("| measure | goal | measured |")
print("|---|---|---|")
print(f"| ast-grep 0.51.1 ÷ oncevar `-j 2`, wall (medians) | ≥ 20× | {ratio('ast-grep', 'oncevar -j2'):.1f}× |")
print(f"| the same, CPU (user + system) | | {cpu('ast-grep') / cpu('oncevar -j2'):.1f}× |")
print(f"| oncevar `-j 2` wall | < 0.25 s | {wall:.2f} s |")
counted = f"{int(instructions) / 1e9:.2f} G" if instructions != "none" else "not measured"
print(f"| instructions, `-j 1` (callgrind) | ≤ 3.72 G | {counted} |")
print(f"| peak memory, `-j 2` | ≤ 64 MB | {max(one['rss']) / 1024:.0f} MB |")
print(f"| `--no-prefilter` JSON identical | yes | {identical} |")
EOF
[ "$identical" = yes ] || die "--no-prefilter changed the report"
[ "$failed" = 0 ] || die "$failed runs failed (see the warnings above)"
