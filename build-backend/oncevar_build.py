"""oncevar's build backend (PEP 517): maturin, as before, where a Rust
toolchain is there; without one, the wheel published for this very version
(`pip download --only-binary=:all: oncevar==VERSION`), so that `pip install`
of a checkout or an sdist, and so pre-commit's hook, need no Rust on a
platform with a wheel. Where neither works, one line says what to do, with
no traceback (maturin itself would try to download a Rust toolchain).

pyproject.toml names it with `backend-path = ["build-backend"]`; the
version comes from Cargo.toml, as maturin's does.
"""

import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _cargo():
    """The cargo maturin would run (`CARGO`, else the one on PATH), or None."""
    return os.environ.get("CARGO") or shutil.which("cargo")


def _version():
    """The package's version: Cargo.toml's `version = "X.Y.Z"`."""
    with open(os.path.join(ROOT, "Cargo.toml"), encoding="utf-8") as f:
        match = re.search(r'^version = "([^"]+)"$', f.read(), re.MULTILINE)
    return match.group(1) if match else "0"


def _fail(what):
    sys.stderr.write(
        f"oncevar: no Rust toolchain (cargo) to build oncevar {_version()} from source, "
        f"and {what}: install a released oncevar from the package index "
        "(`pip install oncevar`, `pipx install oncevar`), or install Rust 1.85 or later "
        "(rustup) and try again\n"
    )
    raise SystemExit(1)


if _cargo():
    from maturin import (  # noqa: F401  (the backend's hooks, as they are)
        build_editable,
        build_sdist,
        build_wheel,
        get_requires_for_build_editable,
        get_requires_for_build_sdist,
        get_requires_for_build_wheel,
        prepare_metadata_for_build_editable,
        prepare_metadata_for_build_wheel,
    )
else:
    # Without prepare_metadata_for_build_wheel, pip reads the metadata from
    # the wheel build_wheel returns.

    def get_requires_for_build_wheel(config_settings=None):
        """pip, to fetch the published wheel from inside the build."""
        return ["pip"]

    def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
        """The published wheel of this version for this platform, fetched
        into `wheel_directory`; its file name."""
        version = _version()
        found = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--disable-pip-version-check", "--only-binary=:all:",
             "--dest", wheel_directory, f"oncevar=={version}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        wheels = sorted(
            name for name in os.listdir(wheel_directory)
            if name.startswith(f"oncevar-{version}-") and name.endswith(".whl")
        )
        if found.returncode != 0 or not wheels:
            _fail(f"no published oncevar {version} wheel installs on this platform")
        return wheels[0]

    def build_sdist(sdist_directory, config_settings=None):
        """An sdist needs cargo (maturin lists the crate's files)."""
        _fail("an sdist cannot be made without it")

    def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
        """An editable install builds the binary: it needs cargo."""
        _fail("an editable install builds the binary")
