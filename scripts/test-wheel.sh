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
echo "wheel: $passed passed, 0 failed"
