#!/usr/bin/env bash
# Fuzzes oncevar for a fixed time with cargo-fuzz (libFuzzer), one target
# after the other, one core, at the lowest priority, then runs the release
# binary over mutated real files:
#
#   scan        any bytes as a C file: no panic, the prefilter never hides
#               a site, positions match offsets
#   diff_apply  every applied fix gives a diff that applies byte for byte to
#               the original and yields the fixed file; fixing is idempotent
#   mutations   scripts/fuzz-mutate.py: FILES files (default 10,000) made
#               from the fixtures and the fetched corpora (.cache/corpus,
#               see scripts/fetch-corpus.sh) by byte, token and line
#               mutations, NUL, bad UTF-8, CR-only lines, BOMs, deep
#               nesting, huge lines and identifiers, unterminated comments,
#               strings and #ifs, run through `check`, `--diff` (applied
#               with git apply), `--fix` twice: 0 aborts, panics, hangs,
#               diffs that do not apply or differ from --fix, fixes that
#               are not idempotent or parse worse; failures are kept in
#               .cache/fuzz/mutate/failures/; stops after 12 times
#               SECONDS_PER_TARGET if FILES are not done by then
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET [FILES]]     (default 600, 10000)
#
# Installs cargo-fuzz from crates.io if missing; needs a nightly toolchain
# (`rustup toolchain install nightly`). The seeds are this project's own
# fixtures (testdata/cases); what libFuzzer learns goes to the git-ignored
# .cache/fuzz/corpus/TARGET, and a crash to fuzz/artifacts/TARGET/. Prints
# executions and time per target from libFuzzer's last status line.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
files=${2:-10000}

if ! rustup toolchain list | grep -q '^nightly'; then
    echo "fuzz.sh: needs a nightly toolchain: rustup toolchain install nightly" >&2
    exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

cd fuzz
nice -n 19 cargo +nightly fuzz build -O
for target in scan diff_apply; do
    corpus=../.cache/fuzz/corpus/$target
    mkdir -p "$corpus"
    log=../.cache/fuzz/$target.log
    echo "fuzz.sh: $target for ${seconds}s (log: .cache/fuzz/$target.log)"
    status=0
    nice -n 19 cargo +nightly fuzz run -O "$target" "$corpus" ../testdata/cases -- \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=20 \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    grep -E '^#[0-9]+.*(DONE|pulse)' "$log" | tail -1 || true
    grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec' "$log" || true
    if [ "$status" -ne 0 ]; then
        echo "fuzz.sh: $target found a failure (exit $status); see $log and fuzz/artifacts/$target/" >&2
        exit 1
    fi
done
cd ..

echo "fuzz.sh: mutations of $files files (log: .cache/fuzz/mutate.log)"
nice -n 19 cargo build --release --locked --quiet
seeds=(testdata/cases)
for corpus in .cache/corpus/*/; do
    [ -d "$corpus" ] && seeds+=("$corpus")
done
status=0
python3 scripts/fuzz-mutate.py --oncevar target/release/oncevar --files "$files" \
    --seconds $((seconds * 12)) --work .cache/fuzz/mutate "${seeds[@]}" \
    2>&1 | tee .cache/fuzz/mutate.log | tail -1 || status=$?
if [ "$status" -ne 0 ]; then
    echo "fuzz.sh: mutations found failures; see .cache/fuzz/mutate.log" >&2
    exit 1
fi
