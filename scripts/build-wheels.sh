#!/usr/bin/env bash
# Builds the wheel the package index takes, here, as the release workflow
# builds it: maturin (`bindings = "bin"`, pyproject.toml) cross-links the
# release binary against glibc 2.17 with zig (`--zig --compatibility
# manylinux2014`), `auditwheel show` must agree that the wheel is
# manylinux_2_17, and the wheel installed with pipx into a clean venv must
# pass scripts/check-installed.sh on a PATH without Rust.
#
#   scripts/build-wheels.sh                  # x86_64 manylinux2014 wheel
#   scripts/build-wheels.sh --sdist          # and the source distribution
#   ONCEVAR_WHEEL_OUT=DIR scripts/build-wheels.sh   # where (default target/wheels)
#
# maturin, ziglang (zig as a pip package), auditwheel and pipx come from
# the package index, pinned in scripts/wheel-tools.txt (which the release
# workflow installs too), into the git-ignored .cache/wheel-tools (created
# once, again when the pins change). The wheel holds one static
# binary: on a 2-core machine the release build takes about 10 minutes the
# first time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

TARGET=x86_64-unknown-linux-gnu
POLICY=manylinux2014
TAG=manylinux_2_17_x86_64

sdist=false
for arg in "$@"; do
    case "$arg" in
        --sdist) sdist=true ;;
        *) die "unknown argument $arg (usage: $0 [--sdist])" ;;
    esac
done
[ "$(uname -s)" = Linux ] || die "builds Linux wheels only (the release workflow builds the others)"
command -v cargo >/dev/null || die "cargo is needed to build the wheel (Rust $(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml) or later)"
python=${PYTHON:-python3}
"$python" -c 'import venv, ensurepip' 2>/dev/null ||
    die "$python has no venv/ensurepip (Debian: apt-get install python3-venv)"

tools="$(ensure_wheel_tools "$python")"
export PATH="$tools/bin:$PATH"

if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx "$TARGET"; then
    log "rustup target add $TARGET"
    rustup target add "$TARGET"
fi

out=${ONCEVAR_WHEEL_OUT:-$ONCEVAR_ROOT/target/wheels}
mkdir -p "$out"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"
rm -f "$out"/oncevar-"$version"-*.whl
log "maturin build --release --locked --zig --compatibility $POLICY --target $TARGET"
maturin build --release --locked --zig --compatibility "$POLICY" --target "$TARGET" --out "$out"
wheels=("$out"/oncevar-"$version"-*.whl)
[ "${#wheels[@]}" -eq 1 ] && [ -f "${wheels[0]}" ] || die "expected one wheel, got: ${wheels[*]}"
wheel=${wheels[0]}
case "${wheel##*/}" in
    *"$TAG"*) ;;
    *) die "the wheel is not tagged $TAG: ${wheel##*/}" ;;
esac

# auditwheel reads the binary's symbol versions: its verdict, not the
# tag maturin wrote, is what the package index will be told.
show="$(auditwheel show "$wheel")"
printf '%s\n' "$show"
tr '\n' ' ' <<<"$show" | grep -q "consistent with the following platform tag: \"$TAG\"" ||
    die "auditwheel does not find the wheel $TAG-compatible"

if $sdist; then
    rm -f "$out"/oncevar-"$version".tar.gz
    maturin sdist --out "$out"
    [ -f "$out/oncevar-$version.tar.gz" ] || die "maturin sdist wrote no oncevar-$version.tar.gz"
    log "sdist: $out/oncevar-$version.tar.gz"
fi

# Installed as a user installs it, into a clean venv, and run with no
# Rust toolchain on PATH.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
PIPX_HOME="$work/pipx" PIPX_BIN_DIR="$work/bin" PIPX_MAN_DIR="$work/man" \
    pipx install --python "$(command -v "$python")" "$wheel" >"$work/pipx.log" 2>&1 ||
    die "pipx install failed: $(cat "$work/pipx.log")"
bare="$work/bin:/usr/bin:/bin"
! PATH="$bare" command -v cargo >/dev/null || die "cargo is on $bare: the check would not prove the wheel needs no Rust"
PATH="$bare" scripts/check-installed.sh "$work/bin/oncevar"
log "built $wheel"
