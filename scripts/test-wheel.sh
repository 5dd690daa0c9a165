#!/usr/bin/env bash
# oncevar installs the way Python tools do: `pip wheel .` builds a wheel
# (maturin, `bindings = "bin"`, from pyproject.toml), a fresh venv installs
# it, and the `oncevar` the venv puts on PATH passes
# scripts/check-installed.sh (its version, the demo tree as the README
# says, the runtime header). `pip install
# .` and `pipx install .` build the same wheel. Called by scripts/test.sh
# (so by .ci/run); it fails, never skips, when it cannot run.
#
#   scripts/test-wheel.sh            # reuses cargo's dev build (target/debug)
#   ONCEVAR_WHEEL_PROFILE=release scripts/test-wheel.sh   # the wheel as released
#
# pip fetches maturin from the package index into its isolated build
# environment, as it would for a user.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

python=${PYTHON:-python3}
command -v "$python" >/dev/null || die "$python is needed to build and install the wheel"
"$python" -c 'import venv, ensurepip' 2>/dev/null ||
    die "$python has no venv/ensurepip (Debian: apt-get install python3-venv)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The default reuses the profile `cargo test` already built, so only the
# binary is linked again; the release profile is the one users get.
profile=${ONCEVAR_WHEEL_PROFILE:-dev}
log "pip wheel . (maturin, --profile $profile)"
"$python" -m venv "$work/build"
MATURIN_PEP517_ARGS="--profile $profile" \
    "$work/build/bin/pip" wheel --quiet --no-deps --wheel-dir "$work/dist" . ||
    die "pip wheel . failed"
wheels=("$work"/dist/oncevar-*.whl)
[ "${#wheels[@]}" -eq 1 ] && [ -f "${wheels[0]}" ] || die "expected one oncevar wheel, got: ${wheels[*]}"
check "pip wheel . built ${wheels[0]##*/}"

"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --no-index "${wheels[0]}" || die "the wheel does not install"
oncevar="$work/venv/bin/oncevar"
[ -x "$oncevar" ] || die "the wheel put no oncevar script in the venv's bin/"
check "a fresh venv installs it with oncevar in bin/"

[ "$(PATH="$work/venv/bin:/usr/bin:/bin" command -v oncevar)" = "$oncevar" ] ||
    die "the venv's bin/ does not put oncevar on PATH"
check "oncevar is on the venv's PATH"
PATH="$work/venv/bin:/usr/bin:/bin" scripts/check-installed.sh "$oncevar"

# Without Rust (pre-commit's hook on a machine without cargo): `pip install
# .` takes the published wheel of this version (here the one just built,
# offered with --find-links), and where there is none, says so in one line.
bare="$work/bare/bin:/usr/bin:/bin"
! PATH="$bare" command -v cargo >/dev/null || die "cargo is on $bare: cannot check an install without Rust"
"$python" -m venv "$work/bare"
env -u CARGO PATH="$bare" PIP_FIND_LINKS="$work/dist" \
    "$work/bare/bin/pip" install --quiet --disable-pip-version-check . >"$work/bare.log" 2>&1 ||
    die "pip install . without cargo failed: $(cat "$work/bare.log")"
PATH="$bare" scripts/check-installed.sh "$work/bare/bin/oncevar" >/dev/null 2>&1 ||
    die "the wheel pip install . took without cargo does not run"
check "without cargo, pip install . installs the published wheel"
# No index then, only the build's own requirements: no oncevar wheel at all.
"$work/bare/bin/pip" download --quiet --disable-pip-version-check --only-binary=:all: \
    --dest "$work/deps" "maturin>=1.5,<2" pip >/dev/null
"$python" -m venv "$work/none"
if env -u CARGO PATH="$work/none/bin:/usr/bin:/bin" PIP_NO_INDEX=1 PIP_FIND_LINKS="$work/deps" \
    "$work/none/bin/pip" install --quiet --disable-pip-version-check . >"$work/none.log" 2>&1; then
    die "pip install . without cargo or a wheel succeeded"
fi
grep -q "^ *oncevar: no Rust toolchain (cargo) to build oncevar" "$work/none.log" ||
    die "no one-line reason without cargo or a wheel: $(cat "$work/none.log")"
! grep -q Traceback "$work/none.log" || die "a traceback without cargo or a wheel: $(cat "$work/none.log")"
check "without cargo or a wheel: $(grep -o 'oncevar: no Rust.*' "$work/none.log" | cut -c1-72)..."
echo "wheel: $passed passed, 0 failed"
