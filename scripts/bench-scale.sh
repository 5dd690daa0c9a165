#!/usr/bin/env bash
# Times oncevar on inputs far from CPython's shape, issue 23's "also
# measure" (scripts/bench.sh measures CPython against ast-grep):
#
#   * 100,000 small files (scripts/gen-small-files.py, about 1 KB each,
#     one in ten with a site, in folders of 1,000): `check -j 1`,
#     `check -j 2`, and `check -j 1 --fix` on a fresh copy each time;
#   * generated C files of 12.5, 25 and 50 MB (scripts/gen-large-c.py):
#     wall, CPU, peak RSS, MB/s and bytes of peak memory per input byte,
#     and whether the time is linear in the size;
#   * /usr/include (every .c and .h file under it; the count depends on
#     what the machine has installed and is printed; INCLUDE=DIR for
#     another folder): `check -j 1` and `-j 2`.
#
# The commands of each set alternate within each round and the table shows
# medians of ROUNDS runs (default 3; the first of each command is not
# discarded, the files are read once with cat before each set so the page
# cache is warm), CPU as user + system, the largest peak RSS
# (/usr/bin/time -v). Every run is bounded: `timeout` (TIME_LIMIT seconds
# of wall clock, default 900) and `ulimit -v` (MEM_LIMIT_MB of address
# space, default 4096, plus the parse stack that oncevar reserves for the
# largest input file, 96 bytes per byte, which is reserved, not used); a
# run past a bound is shown as such, not as a time. The machine's load
# average is printed before and after each set: on a shared machine the
# absolute times measure the load as much as oncevar, CPU less so.
#
#   scripts/bench-scale.sh              # builds the release binary
#   ONCEVAR=path/to/oncevar scripts/bench-scale.sh
#   ROUNDS=5 FILES=100000 SIZES="12.5 25 50" SETS="small generated include" \
#       scripts/bench-scale.sh
#
# The small files are written to a temporary folder under .cache/ (about
# 400 MB on disk, with the --fix copy) and deleted at the end, as are the
# generated files. Raw times go to .cache/bench/scale.tsv. Not part of the
# test suite: it takes 10 to 30 minutes.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rounds="${ROUNDS:-3}"
nfiles="${FILES:-100000}"
sets="${SETS:-small generated include}"
read -r -a sizes <<<"${SIZES:-12.5 25 50}"
include="${INCLUDE:-/usr/include}"
time_limit="${TIME_LIMIT:-900}"
mem_limit_mb="${MEM_LIMIT_MB:-4096}"
[ "$rounds" -ge 1 ] || die "ROUNDS must be at least 1"

if [ -z "${ONCEVAR:-}" ]; then
    log "building oncevar (release)"
    ONCEVAR="$(build_oncevar --release)"
fi
[ -x "$ONCEVAR" ] || die "no oncevar binary at $ONCEVAR"
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (apt-get install time)"

mkdir -p "$ONCEVAR_ROOT/.cache/bench"
times="$ONCEVAR_ROOT/.cache/bench/scale.tsv"
work=$(mktemp -d "$ONCEVAR_ROOT/.cache/bench-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf 'set\tname\tround\twall\tcpu\trss_kb\tstatus\n' >"$times"
loads="$work/loads"
: >"$loads"
notes="$work/notes"
: >"$notes"

# run SET NAME ROUND LARGEST_BYTES COMMAND...: runs COMMAND under the
# bounds, appends wall, CPU, peak RSS and how it ended to $times. The
# status is the exit code (oncevar: 0 nothing found, 1 found), "time" past
# TIME_LIMIT, "memory" when the process died of the address-space limit
# (a failed allocation aborts it: 134).
run() {
    local set=$1 name=$2 round=$3 largest=$4 status=0 start end
    shift 4
    local limit_kb=$((mem_limit_mb * 1024 + largest * 96 / 1024))
    start=$EPOCHREALTIME
    (
        ulimit -v "$limit_kb"
        exec timeout --kill-after=10 "$time_limit" \
            /usr/bin/time -v -o "$work/time.out" "$@"
    ) >/dev/null 2>"$work/stderr" || status=$?
    end=$EPOCHREALTIME
    case $status in
        124 | 137) status=time ;;
        134) grep -qi 'alloc' "$work/stderr" && status=memory ;;
    esac
    awk -v set="$set" -v name="$name" -v round="$round" -v start="$start" -v end="$end" -v status="$status" '
        /User time/ { user = $NF } /System time/ { sys = $NF }
        /Maximum resident set size/ { rss = $NF }
        END { printf "%s\t%s\t%s\t%.4f\t%.3f\t%s\t%s\n", set, name, round, end - start, user + sys, rss + 0, status }
    ' "$work/time.out" >>"$times"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

# warm FOLDER_OR_FILE: reads the files once, so that every run finds them
# in the page cache.
warm() { find "$@" -type f \( -name '*.c' -o -name '*.h' \) -print0 | xargs -0 cat >/dev/null; }

for set in $sets; do
    case $set in
        small)
            tree="$work/small"
            log "writing $nfiles small files into $tree"
            python3 "$ONCEVAR_ROOT/scripts/gen-small-files.py" "$tree" --files "$nfiles"
            bytes=$(find "$tree" -type f -name '*.c' -print0 | xargs -0 cat | wc -c)
            printf 'small\t%s files, %s bytes, one in 10 with a site (scripts/gen-small-files.py)\n' \
                "$nfiles" "$bytes" >>"$notes"
            warm "$tree"
            printf 'small\t%s\n' "$(load)" >>"$loads"
            for round in $(seq 1 "$rounds"); do
                log "small files: round $round of $rounds"
                run small "check -j 1" "$round" 4096 "$ONCEVAR" check "$tree" -j 1 --output-format json
                run small "check -j 2" "$round" 4096 "$ONCEVAR" check "$tree" -j 2 --output-format json
                rm -rf "$work/fixed"
                cp -a "$tree" "$work/fixed"
                warm "$work/fixed"
                run small "check -j 1 --fix" "$round" 4096 "$ONCEVAR" check "$work/fixed" -j 1 --fix --output-format json
            done
            fixed=$(grep -rl 'Py_ONCEVAR' "$work/fixed" | wc -l)
            printf 'small\t--fix rewrote %s files (of %s sites)\n' "$fixed" $(((nfiles + 9) / 10)) >>"$notes"
            rm -rf "$tree" "$work/fixed"
            printf 'small\t%s\n' "$(load)" >>"$loads"
            ;;
        generated)
            for mb in "${sizes[@]}"; do
                python3 "$ONCEVAR_ROOT/scripts/gen-large-c.py" "$work/gen-$mb.c" --mb "$mb"
            done
            warm "$work"/gen-*.c
            printf 'generated\t%s\n' "$(load)" >>"$loads"
            for round in $(seq 1 "$rounds"); do
                log "generated files: round $round of $rounds"
                for mb in "${sizes[@]}"; do
                    size=$(stat -c %s "$work/gen-$mb.c")
                    run generated "$mb MB" "$round" "$size" "$ONCEVAR" check "$work/gen-$mb.c" \
                        --output-format json --max-file-size 100000000
                done
            done
            largest_mb=${sizes[${#sizes[@]} - 1]}
            found=$("$ONCEVAR" check "$work/gen-$largest_mb.c" --output-format concise --max-file-size 100000000 \
                2>/dev/null | grep -c OV101 || true)
            printf 'generated\t%s of the 8 sites of the %s MB file found\n' "$found" "$largest_mb" >>"$notes"
            rm -f "$work"/gen-*.c
            printf 'generated\t%s\n' "$(load)" >>"$loads"
            ;;
        include)
            [ -d "$include" ] || die "no folder $include"
            count=$(find "$include" -type f \( -name '*.c' -o -name '*.h' \) | wc -l)
            bytes=$(find "$include" -type f \( -name '*.c' -o -name '*.h' \) -print0 | xargs -0 cat | wc -c)
            largest=$(find "$include" -type f \( -name '*.c' -o -name '*.h' \) -printf '%s\n' | sort -n | tail -1)
            warm "$include"
            printf 'include\t%s\n' "$(load)" >>"$loads"
            for round in $(seq 1 "$rounds"); do
                log "$include: round $round of $rounds"
                run include "check -j 1" "$round" "$largest" "$ONCEVAR" check "$include" -j 1 --output-format json
                # oncevar's summary (standard error) says how many it scanned.
                scanned=$(grep -o '[0-9]* files scanned.*' "$work/stderr" | head -1 || true)
                run include "check -j 2" "$round" "$largest" "$ONCEVAR" check "$include" -j 2 --output-format json
            done
            printf 'include\t%s .c/.h files, %s bytes; oncevar: %s\n' "$count" "$bytes" "$scanned" >>"$notes"
            printf 'include\t%s\n' "$(load)" >>"$loads"
            ;;
        *) die "unknown set $set (small, generated, include)" ;;
    esac
done

python3 - "$times" "$loads" "$notes" "$(nproc)" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
    "$(git -C "$ONCEVAR_ROOT" rev-parse --short HEAD)" "$rounds" "$time_limit" "$mem_limit_mb" "$ONCEVAR" "$include" <<'EOF'
import statistics, sys

times, loads, notes, cpus, day, commit, rounds, time_limit, mem_limit, binary, include = sys.argv[1:]
rows = {}
for line in open(times).read().splitlines()[1:]:
    kind, name, rnd, wall, cpu, rss, status = line.split("\t")
    r = rows.setdefault((kind, name), {"wall": [], "cpu": [], "rss": [], "status": []})
    r["wall"].append(float(wall))
    r["cpu"].append(float(cpu))
    r["rss"].append(int(rss))
    r["status"].append(status)
load = {}
for line in open(loads).read().splitlines():
    kind, value = line.split("\t")
    load.setdefault(kind, []).append(value)
note = {}
for line in open(notes).read().splitlines():
    kind, value = line.split("\t")
    note.setdefault(kind, []).append(value)

titles = {"small": "small files", "generated": "generated C (scripts/gen-large-c.py)",
          "include": include}
print()
print(f"{binary} (tree at {commit}), {day}, {cpus} CPUs; medians of {rounds} alternating runs, "
      f"each bounded by {time_limit} s and {mem_limit} MB of address space (+ parse stack)")
print()
print("| set | command | wall s | CPU s | peak RSS | MB per CPU s | peak RSS per input byte | ended |")
print("|---|---|---:|---:|---:|---:|---:|---|")
for (kind, name), r in rows.items():
    ok = [s in ("0", "1") for s in r["status"]]
    ended = "ok" if all(ok) else ", ".join(sorted(set(s for s in r["status"] if s not in ("0", "1"))))
    wall = statistics.median(r["wall"])
    cpu = statistics.median(r["cpu"])
    rss_mb = max(r["rss"]) / 1024
    rate = per_byte = ""
    if kind == "generated":
        mb = float(name.split()[0])
        rate = f"{mb / cpu:.2f}"
        per_byte = f"{max(r['rss']) * 1024 / (mb * 1e6):.1f}"
    print(f"| {titles[kind]} | {name} | {wall:.2f} | {cpu:.2f} | {rss_mb:.0f} MB | {rate} | {per_byte} | {ended} |")
gen = [(k[1], v) for k, v in rows.items() if k[0] == "generated"]
if len(gen) > 1:
    first, last = gen[0], gen[-1]
    size_ratio = float(last[0].split()[0]) / float(first[0].split()[0])
    print()
    print(f"generated: {last[0]} ÷ {first[0]}: wall {statistics.median(last[1]['wall']) / statistics.median(first[1]['wall']):.2f}, "
          f"CPU {statistics.median(last[1]['cpu']) / statistics.median(first[1]['cpu']):.2f}, "
          f"peak RSS {max(last[1]['rss']) / max(first[1]['rss']):.2f} (linear: {size_ratio:.2f}); "
          f"peak RSS added per byte added: "
          f"{(max(last[1]['rss']) - max(first[1]['rss'])) * 1024 / ((float(last[0].split()[0]) - float(first[0].split()[0])) * 1e6):.1f}")
print()
for kind in titles:
    if kind in load or kind in note:
        before_after = " before, ".join(load.get(kind, ["?", "?"])[:2]) + " after"
        print(f"{titles[kind]}: load average (1, 5, 15 min) {before_after}")
        for n in note.get(kind, []):
            print(f"  {n}")
EOF
