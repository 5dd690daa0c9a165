#!/usr/bin/env bash
# Fuzzes oncevar for a bounded time with cargo-fuzz (libFuzzer), one target
# after the other, one process, at the lowest priority, then runs the
# release binary over mutated real files:
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
#               .cache/fuzz/mutate/failures/; stops after
#               FUZZ_MUTATE_SECONDS if FILES are not done by then; a run is
#               a hang when it uses 120 s of processor time, or none for
#               900 s (never by the wall clock alone: at nice 19 under load
#               a 40 s run can take 20 minutes); its last line counts the
#               files, each kind of failure (zeros too), the time and the
#               load, also when the bound or a SIGTERM to fuzz-mutate.py
#               (not to the pipeline: tee would go first) stops it
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET [FILES]]     (default 600, 10000)
#
# Environment: FUZZ_TARGETS (default "scan diff_apply"; empty for none),
# FUZZ_RSS_MB (libFuzzer's memory limit per target, default 2048),
# FUZZ_SEED (fuzz-mutate.py's --seed, default 1; another seed makes other
# files), FUZZ_MUTATE_SECONDS (the mutation run's bound, default 2 s per
# file or 12 times SECONDS_PER_TARGET, the larger: at nice 19 on 2 shared
# cores at load 17, files went by at 0.6 to 1.3 a second, so 10,000 need
# 2 to 4.5 hours), SKIP_MUTATIONS=1 (the cargo-fuzz targets only).
#
# Installs what it needs, once (idempotent): the pinned nightly toolchain
# through rustup (minimal profile; cargo-fuzz's instrumentation needs
# nightly) and cargo-fuzz at a pinned version with `cargo install --locked`
# into the git-ignored .cache/fuzz/tools. SECONDS_PER_TARGET bounds each
# target's wall clock (libFuzzer's -max_total_time); each target runs as
# one process (-jobs is not given) with -rss_limit_mb and a 20 s limit per
# input; the processor time each used is printed beside libFuzzer's counts.
# The seeds are this project's own fixtures (testdata/cases); what
# libFuzzer learns goes to .cache/fuzz/corpus/TARGET, and a crash to
# fuzz/artifacts/TARGET/ (git-ignored): make it a fixture or a unit test,
# then fix it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ONCEVAR_ROOT"
seconds=${1:-600}
files=${2:-10000}
targets=${FUZZ_TARGETS-scan diff_apply}
rss_mb=${FUZZ_RSS_MB:-2048}
mutate_seconds=${FUZZ_MUTATE_SECONDS:-$((files * 2 > seconds * 12 ? files * 2 : seconds * 12))}

# The toolchain and cargo-fuzz are pinned together: a cargo-fuzz release
# follows the nightly flags of its time.
toolchain=nightly-2026-10-29
cargo_fuzz_version=0.13.2
tools="$ONCEVAR_ROOT/.cache/fuzz/tools/cargo-fuzz-$cargo_fuzz_version"

if [ -n "$targets" ]; then
    command -v rustup >/dev/null 2>&1 ||
        die "cargo-fuzz needs a nightly toolchain, and rustup is not installed to add one"
    if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
        log "rustup toolchain install $toolchain --profile minimal"
        rustup toolchain install "$toolchain" --profile minimal
    fi
    if ! "$tools/bin/cargo-fuzz" --version 2>/dev/null | grep -qF " $cargo_fuzz_version"; then
        log "installing cargo-fuzz $cargo_fuzz_version into ${tools#"$ONCEVAR_ROOT"/}"
        nice -n 19 cargo install cargo-fuzz --locked --version "$cargo_fuzz_version" \
            --root "$tools" --quiet
    fi
    export PATH="$tools/bin:$PATH"

    (cd fuzz && nice -n 19 cargo "+$toolchain" fuzz build -O)
    for target in $targets; do
        corpus=.cache/fuzz/corpus/$target
        mkdir -p "$corpus"
        log=.cache/fuzz/$target.log
        log "$target for ${seconds}s (log: $log)"
        status=0
        TIMEFORMAT="processor time: %U s user, %S s system; wall clock %R s"
        {
            time (cd fuzz && nice -n 19 cargo "+$toolchain" fuzz run -O "$target" \
                "../$corpus" ../testdata/cases -- \
                -max_total_time="$seconds" -max_len=65536 -rss_limit_mb="$rss_mb" \
                -timeout=20 -print_final_stats=1 >"../$log" 2>&1)
        } 2>"$log.time" || status=$?
        grep -E '^#[0-9]+.*(DONE|pulse)' "$log" | tail -1 || true
        grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb' \
            "$log" || true
        cat "$log.time"
        if [ "$status" -ne 0 ]; then
            die "$target found a failure (exit $status); see $log and fuzz/artifacts/$target/"
        fi
    done
fi

[ "${SKIP_MUTATIONS:-0}" = 1 ] && exit 0
log "mutations of $files files for at most ${mutate_seconds}s (log: .cache/fuzz/mutate.log)"
built="$(build_oncevar --nice=19 --release)"
# The run uses a copy: a rebuild while it runs (an hour or more) would
# otherwise swap the binary under it halfway.
mkdir -p .cache/fuzz/mutate
cp "$built" .cache/fuzz/mutate/oncevar
seeds=(testdata/cases)
for corpus in .cache/corpus/*/; do
    [ -d "$corpus" ] && seeds+=("$corpus")
done
status=0
python3 scripts/fuzz-mutate.py --oncevar .cache/fuzz/mutate/oncevar --files "$files" \
    --seed "${FUZZ_SEED:-1}" --seconds "$mutate_seconds" --work .cache/fuzz/mutate \
    "${seeds[@]}" 2>&1 | tee .cache/fuzz/mutate.log | tail -1 || status=$?
if [ "$status" -ne 0 ]; then
    die "mutations found failures; see .cache/fuzz/mutate.log"
fi
