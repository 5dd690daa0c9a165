#!/usr/bin/env bash
# Proves here, on Linux, that oncevar compiles and links for the platforms
# the release workflow builds on its own runners: Windows x64 (GNU ABI) and
# macOS x86_64 and arm64. A fault that only those platforms see (a Unix-only
# call outside #[cfg(unix)], a C dependency that does not build for them)
# shows here before a release tag does.
#
#   scripts/cross-link.sh                       # every target below
#   scripts/cross-link.sh x86_64-pc-windows-gnu # some of them
#
# Links with zig through cargo-zigbuild (the linker maturin's `--zig` uses):
# zig from the pinned `ziglang` of scripts/wheel-tools.txt, in
# .cache/wheel-tools as scripts/build-wheels.sh installs it, and
# cargo-zigbuild at the version pinned below, built once into
# .cache/cross-tools. Builds go to .cache/cross-target (a debug build: the
# link, not the speed, is what is checked). Each binary's header must say
# the platform and processor (PE32+ x86-64; Mach-O x86_64 or arm64).
# Running them needs the platforms themselves; the release workflow does.
#
# About 8 minutes per target on 2 busy cores the first time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

ZIGBUILD_VERSION=0.24.1
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(x86_64-pc-windows-gnu x86_64-apple-darwin aarch64-apple-darwin)

command -v cargo >/dev/null || die "cargo is needed"
python=${PYTHON:-python3}

wheel_tools="$(ensure_wheel_tools "$python")"
zig="$("$wheel_tools/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')"
[ -x "$zig" ] || die "no zig in the ziglang package: $zig"

cross_tools="$ONCEVAR_ROOT/.cache/cross-tools"
if [ "$("$cross_tools/bin/cargo-zigbuild" --version 2>/dev/null)" != "cargo-zigbuild $ZIGBUILD_VERSION" ]; then
    log "installing cargo-zigbuild $ZIGBUILD_VERSION (cargo install --locked) into $cross_tools"
    cargo install --quiet --locked --version "$ZIGBUILD_VERSION" --root "$cross_tools" cargo-zigbuild
fi
export PATH="$cross_tools/bin:$(dirname "$zig"):$PATH"

target_dir="$ONCEVAR_ROOT/.cache/cross-target"
failed=()
for target in "${targets[@]}"; do
    case "$target" in
        x86_64-pc-windows-gnu) binary=oncevar.exe want="PE32+ x86-64" ;;
        x86_64-apple-darwin) binary=oncevar want="Mach-O x86_64" ;;
        aarch64-apple-darwin) binary=oncevar want="Mach-O arm64" ;;
        *) die "unknown target $target (x86_64-pc-windows-gnu, x86_64-apple-darwin, aarch64-apple-darwin)" ;;
    esac
    if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx "$target"; then
        log "rustup target add $target"
        rustup target add "$target"
    fi
    log "cargo zigbuild --locked --bin oncevar --target $target"
    # The SDK warning on macOS targets is expected: zig brings libSystem's
    # symbols, and the binary needs no other framework.
    if ! nice cargo zigbuild --locked --bin oncevar --target "$target" --target-dir "$target_dir"; then
        failed+=("$target: the build or link failed")
        continue
    fi
    path="$target_dir/$target/debug/$binary"
    got="$("$python" - "$path" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read(4096)
if data[:2] == b"MZ":
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    machine = struct.unpack_from("<H", data, pe + 4)[0] if data[pe:pe + 4] == b"PE\0\0" else None
    optional = struct.unpack_from("<H", data, pe + 24)[0] if machine else None
    kind = "PE32+" if optional == 0x20B else "PE32"
    print(kind, {0x8664: "x86-64", 0xAA64: "arm64"}.get(machine, hex(machine or 0)))
elif data[:4] == b"\xcf\xfa\xed\xfe":
    cpu = struct.unpack_from("<I", data, 4)[0]
    print("Mach-O", {0x01000007: "x86_64", 0x0100000C: "arm64"}.get(cpu, hex(cpu)))
else:
    print("unknown", data[:4].hex())
EOF
    )"
    if [ "$got" = "$want" ]; then
        check "$target: $binary is $got"
    else
        failed+=("$target: $binary is '$got', expected '$want'")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    printf '[%s] FAILED: %s\n' "${0##*/}" "${failed[@]}" >&2
    exit 1
fi
log "linked for ${#targets[@]} target(s): ${targets[*]}"
