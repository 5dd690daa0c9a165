#!/usr/bin/env bash
# Compares this checkout's output with the output of another revision
# (BASE_REV, e.g. the commit a branch was rebased on), byte for byte, on
# every input that a change of speed must not change:
#
#   * CPython 3.11.2: JSON with -j1, -j2 and --no-prefilter, and --diff;
#   * every C-extension sdist fetched into .cache/corpus (fetch-corpus.sh
#     --extensions, realworld.sh --fetch-only): JSON -j2, -j1 and --diff;
#   * BASE_REV's testdata/ (fixtures added since are the new tests'
#     business): JSON of each folder and of the whole tree, -j1 and -j2,
#     and --no-prefilter.
#
#   scripts/compare-output.sh BASE_REV        # exit 1 on any difference
#   scripts/compare-output.sh BASE_REV --quick # CPython -j2 and testdata only
#
# The base is built from `git archive BASE_REV` (release profile) into
# target/compare/ and kept there by commit, so a second run reuses it.
# Outputs go to target/compare/out/{base,head}/; the first lines of each
# difference are printed. Not part of the test suite (it builds twice and
# scans about 60 MB), but run after every rebase of a performance change.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

[ $# -ge 1 ] || die "usage: scripts/compare-output.sh BASE_REV [--quick]"
base_rev=$1
quick=0
[ "${2:-}" = --quick ] && quick=1
sha=$(git rev-parse --verify "$base_rev^{commit}") || die "not a revision: $base_rev"

work="$ONCEVAR_ROOT/target/compare"
mkdir -p "$work/bin"
base_bin="$work/bin/oncevar-$sha"
if [ ! -x "$base_bin" ]; then
    log "building $base_rev ($sha) in $work"
    src="$work/src-$sha"
    rm -rf "$src" && mkdir -p "$src"
    git archive "$sha" | tar -x -C "$src"
    base_dir="$work/target"
    CARGO_TARGET_DIR="$base_dir" nice cargo build --release --locked --quiet \
        --manifest-path "$src/Cargo.toml"
    cp "$base_dir/release/oncevar" "$base_bin"
    rm -rf "$src"
fi
log "building this checkout"
head_bin="$(build_oncevar --nice=10 --release)"

out="$work/out"
rm -rf "$out" && mkdir -p "$out/base" "$out/head"
differ=0
compared=0

# run NAME DIR ARGS...: runs both binaries in DIR with `check ARGS`, keeps
# stdout (stderr carries timings) and compares.
run() {
    local name=$1 dir=$2
    shift 2
    local side bin
    for side in base head; do
        bin=$base_bin
        [ $side = head ] && bin=$head_bin
        (cd "$dir" && "$bin" check "$@" >"$out/$side/$name" 2>/dev/null) || true
    done
    compared=$((compared + 1))
    if ! cmp -s "$out/base/$name" "$out/head/$name"; then
        differ=$((differ + 1))
        printf 'DIFFERS  %s (in %s: check %s)\n' "$name" "$dir" "$*"
        { diff "$out/base/$name" "$out/head/$name" || true; } | head -20 | sed 's/^/    /'
    fi
}

cpython="$ONCEVAR_ROOT/.cache/corpus/cpython-3.11.2"
[ -d "$cpython" ] || "$ONCEVAR_ROOT/scripts/fetch-corpus.sh" >&2
run cpython-j2.json "$cpython" . -j 2 --output-format json
if [ $quick = 0 ]; then
    run cpython-j1.json "$cpython" . -j 1 --output-format json
    run cpython-no-prefilter.json "$cpython" . -j 2 --output-format json --no-prefilter
    run cpython.diff "$cpython" . -j 2 --diff
    for tree in "$ONCEVAR_ROOT"/.cache/corpus/*/ "$ONCEVAR_ROOT"/.cache/corpus/realworld/*/; do
        name=$(basename "$tree")
        case "$name" in cpython-* | realworld) continue ;; esac
        run "$name-j2.json" "$tree" . -j 2 --output-format json
        run "$name-j1.json" "$tree" . -j 1 --output-format json
        run "$name.diff" "$tree" . -j 2 --diff
    done
fi
# The base's own testdata: fixtures added since are this checkout's tests.
fixtures="$work/testdata-$sha"
if [ ! -d "$fixtures/testdata" ]; then
    rm -rf "$fixtures" && mkdir -p "$fixtures"
    git archive "$sha" testdata | tar -x -C "$fixtures"
fi
for tree in $(cd "$fixtures" && echo testdata testdata/*/); do
    name=$(echo "${tree%/}" | tr / -)
    run "$name-j2.json" "$fixtures" "${tree%/}" -j 2 --output-format json
    run "$name-j1.json" "$fixtures" "${tree%/}" -j 1 --output-format json
    run "$name-no-prefilter.json" "$fixtures" "${tree%/}" -j 2 --output-format json --no-prefilter
done

if [ $differ -eq 0 ]; then
    log "identical: $compared outputs of $base_rev (${sha:0:12}) and this checkout"
else
    die "$differ of $compared outputs differ from $base_rev (${sha:0:12}); see $out"
fi
