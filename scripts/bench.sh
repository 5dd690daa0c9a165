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
# and ratios. It also checks that --no-prefilter gives byte-identical JSON,
# and times oncevar on generated C files of 12.5, 25 and 50 MB
# (scripts/gen-large-c.py) to show that the cost is linear in the input
# (and the peak memory per input byte). With valgrind on the machine, one
# run of `oncevar check -j 1` on CPython under callgrind counts its
# instructions, the figure that does not move with the machine's load
# (INSTRUCTIONS=0 skips it: it takes a few minutes). The machine's load
# average is printed before and after: on a shared machine the ratios
# hold, the absolute times do not. Last, the goals of issue 23 as a table
# (Markdown, for the README).
#
#   scripts/bench.sh [ROUNDS]     # ROUNDS on CPython, default 7 (at least 5)
#   GEN_ROUNDS=3 scripts/bench.sh # rounds per generated file, default 3
#   INSTRUCTIONS=0 scripts/bench.sh # no callgrind run
#
# Not part of the test suite: it needs the network once (corpus, ast-grep)
# and takes a few minutes. Raw times go to .cache/bench/times.tsv.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rounds="${1:-7}"
gen_rounds="${GEN_ROUNDS:-3}"
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
cargo build --release --locked --quiet --manifest-path "$ONCEVAR_ROOT/Cargo.toml"
oncevar="$ONCEVAR_ROOT/target/release/oncevar"
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
    local set=$1 name=$2 round=$3 command=$4 start end
    start=$EPOCHREALTIME
    /usr/bin/time -v -o "$work/time.out" bash -c "$command" >/dev/null 2>&1 || true
    end=$EPOCHREALTIME
    awk -v set="$set" -v name="$name" -v round="$round" -v start="$start" -v end="$end" '
        /User time/ { user = $NF } /System time/ { sys = $NF }
        /Maximum resident set size/ { rss = $NF }
        END { printf "%s\t%s\t%s\t%.4f\t%.3f\t%s\n", set, name, round, end - start, user + sys, rss }
    ' "$work/time.out" >>"$times"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "CPython: $nfiles files, $bytes bytes; 1 warm-up round + $rounds rounds"
for round in $(seq 0 "$rounds"); do
    for entry in "${commands[@]}"; do
        run cpython "${entry%%	*}" "$round" "${entry#*	}"
    done
done

log "generated files: 12.5, 25 and 50 MB; $gen_rounds rounds"
sizes=(12.5 25 50)
for mb in "${sizes[@]}"; do
    file="$work/gen-$mb.c"
    python3 "$ONCEVAR_ROOT/scripts/gen-large-c.py" "$file" --mb "$mb"
done
for round in $(seq 0 "$gen_rounds"); do
    for mb in "${sizes[@]}"; do
        run generated "$mb MB" "$round" "$oncevar check $work/gen-$mb.c --output-format json --max-file-size 100000000"
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
found=$("$oncevar" check "$work/gen-50.c" --output-format concise --max-file-size 100000000 2>/dev/null | grep -c OV101 || true)

# Instructions: callgrind counts every instruction of every thread (-j 1:
# one worker, so the count does not depend on scheduling).
instructions=none
if [ "$count_instructions" != 0 ] && command -v valgrind >/dev/null; then
    log "counting instructions: oncevar check -j 1 under callgrind (a few minutes)"
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
        "$oncevar" check . -j 1 --output-format json >/dev/null 2>"$work/callgrind.log" || true
    instructions=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/callgrind.log" | tail -1)
    [ -n "$instructions" ] || instructions=none
fi

python3 - "$times" "$bytes" "$identical" "$has_diff" "$found" "$load_before" "$load_after" \
    "$(nproc)" "$instructions" "$(date -u +%Y-%m-%d)" "$(git -C "$ONCEVAR_ROOT" rev-parse --short HEAD)" <<'EOF'
import statistics, sys

(times, corpus_bytes, identical, has_diff, found, load_before, load_after, cpus,
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
print()
print(f"ast-grep / oncevar -j2:       {ratio('ast-grep', 'oncevar -j2'):6.1f}x")
print(f"oncevar -j2 / cat:            {ratio('oncevar -j2', 'cat'):6.1f}x")
print(f"oncevar -j1 / -j2:            {ratio('oncevar -j1', 'oncevar -j2'):6.2f}x")
if has_diff == "yes":
    print(f"check --diff / check:         {ratio('oncevar --diff', 'oncevar -j2'):6.2f}x")
else:
    print("check --diff:                 not available in this build")
print(f"--no-prefilter / prefilter:   {ratio('oncevar --no-prefilter', 'oncevar -j2'):6.2f}x")
print(f"--no-prefilter JSON identical: {identical}")

gen = [(k[1], v) for k, v in rows.items() if k[0] == "generated"]
if gen:
    print()
    print(f"generated C (scripts/gen-large-c.py; {found} sites found in the 50 MB file)")
    print(f"{'size':<10}{'wall s':>9}{'CPU s':>9}{'peak RSS':>10}{'MB/s':>8}{'s per MB':>10}{'RSS/byte':>10}")
    first = None
    for name, r in gen:
        mb = float(name.split()[0])
        wall = statistics.median(r["wall"])
        first = first or wall / mb
        print(f"{name:<10}{wall:>9.2f}{statistics.median(r['cpu']):>9.2f}"
              f"{max(r['rss']) / 1024:>8.0f}MB{mb / wall:>8.1f}{wall / mb:>10.3f}"
              f"{max(r['rss']) * 1024 / (mb * 1e6):>10.1f}")
    print(f"(linear: seconds per MB stays flat; 50 MB ÷ 12.5 MB time = "
          f"{statistics.median(gen[-1][1]['wall']) / statistics.median(gen[0][1]['wall']):.2f}, ideal 4.00)")

# Issue 23's goals, measured in this run.
one = rows[("cpython", "oncevar -j2")]
wall = med[("cpython", "oncevar -j2")]
print()
print(f"Issue 23 on CPython 3.11.2 ({day}, {commit}, {cpus} CPUs, load {load_before}):")
print()
print("| measure | goal | measured |")
print("|---|---|---|")
print(f"| ast-grep 0.51.1 ÷ oncevar `-j 2`, wall (medians) | ≥ 20× | {ratio('ast-grep', 'oncevar -j2'):.1f}× |")
print(f"| oncevar `-j 2` wall | < 0.25 s | {wall:.2f} s |")
counted = f"{int(instructions) / 1e9:.2f} G" if instructions != "none" else "not measured"
print(f"| instructions, `-j 1` (callgrind) | ≤ 3.72 G | {counted} |")
print(f"| peak memory, `-j 2` | ≤ 64 MB | {max(one['rss']) / 1024:.0f} MB |")
print(f"| `--no-prefilter` JSON identical | yes | {identical} |")
EOF
[ "$identical" = yes ] || die "--no-prefilter changed the report"
