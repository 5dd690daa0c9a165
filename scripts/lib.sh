# shellcheck shell=bash
# Shared helpers for oncevar's scripts. Source it; do not run it.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Absolute path of the repository root (the parent of scripts/).
ONCEVAR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export ONCEVAR_ROOT

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
warn() { printf '[%s] warning: %s\n' "${0##*/}" "$*" >&2; }
die() {
    printf '[%s] error: %s\n' "${0##*/}" "$*" >&2
    exit 1
}

# check DESCRIPTION: logs a check that passed and counts it in $passed.
passed=0
check() {
    passed=$((passed + 1))
    log "ok: $1"
}

# Run a command as root: directly if we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@" || die "needs root (sudo -n failed): $*"
    else
        die "needs root and sudo is not available: $*"
    fi
}

# build_oncevar [--nice=N] [CARGO-BUILD-ARGS...] (e.g. --release): builds the
# oncevar binary (--locked, quietly; under `nice -n N` with --nice=N) and
# prints its path, the one cargo reports:
# under CARGO_TARGET_DIR or a target-dir of cargo's configuration when one
# is set, else under the checkout's target/. Naming target/ instead ran a
# stale binary, or none, for anyone with a target directory of their own.
build_oncevar() {
    local exe prefix=()
    case "${1:-}" in
        --nice=*) prefix=(nice -n "${1#--nice=}"); shift ;;
    esac
    exe="$("${prefix[@]}" cargo build --locked --quiet --manifest-path "$ONCEVAR_ROOT/Cargo.toml" --bin oncevar "$@" \
        --message-format=json-render-diagnostics \
        | sed -n 's/^{"reason":"compiler-artifact".*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)" \
        || die "building oncevar failed (arguments: $*)"
    [ -n "$exe" ] && [ -x "$exe" ] || die "building oncevar (arguments: $*) named no oncevar binary"
    printf '%s\n' "$exe"
}

# sha256_of FILE -> prints the hex digest
sha256_of() { sha256sum -- "$1" | cut -d' ' -f1; }

# verify_sha256 FILE EXPECTED: succeeds iff FILE exists and matches.
verify_sha256() {
    local file=$1 want=$2 got
    [ -f "$file" ] || return 1
    got="$(sha256_of "$file")"
    [ "$got" = "$want" ]
}

# require_sha256 FILE EXPECTED: like verify_sha256, but dies loudly.
require_sha256() {
    local file=$1 want=$2 got
    [ -f "$file" ] || die "missing file: $file"
    got="$(sha256_of "$file")"
    if [ "$got" != "$want" ]; then
        printf '[%s] error: SHA-256 MISMATCH for %s\n  expected %s\n  got      %s\n' \
            "${0##*/}" "$file" "$want" "$got" >&2
        exit 1
    fi
}

# debian_archive -> prints the URI of the Debian archive that this machine's
# own apt sources name (a one-line "deb URI SUITE ..." entry or a deb822
# "URIs:" field whose URI ends in /debian; the first one found), so that the
# scripts that fetch from Debian's testing and unstable suites use the
# machine's mirror and name no host themselves. ONCEVAR_DEBIAN_ARCHIVE
# overrides it. Dies when there is none.
debian_archive() {
    if [ -n "${ONCEVAR_DEBIAN_ARCHIVE:-}" ]; then
        printf '%s\n' "$ONCEVAR_DEBIAN_ARCHIVE"
        return
    fi
    local uri
    uri="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
        /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; break } }
               $1 == "URIs:" { for (i = 2; i <= NF; i++) print $i }' \
        | grep -E '^(https?|file):.*/debian/?$' | head -n 1)" || true
    [ -n "$uri" ] || die "no Debian archive (a URI ending in /debian) in this machine's apt sources; set ONCEVAR_DEBIAN_ARCHIVE"
    printf '%s\n' "${uri%/}"
}

# extract_tarball TARBALL DEST: extract TARBALL (one top-level directory,
# which is stripped) into DEST atomically: the tree is unpacked next to DEST
# and renamed into place, so an interrupted run never leaves half a tree.
extract_tarball() {
    local tarball=$1 dest=$2 stage
    mkdir -p "$(dirname "$dest")"
    stage="$(mktemp -d "$(dirname "$dest")/.extract.XXXXXX")"
    if ! tar -xf "$tarball" -C "$stage" --strip-components=1 --no-same-owner; then
        rm -rf "$stage"
        die "could not extract $tarball"
    fi
    rm -rf "$dest"
    mv "$stage" "$dest"
    chmod 755 "$dest"
}

# ensure_wheel_tools PYTHON: installs the pinned scripts/wheel-tools.txt
# (maturin, ziglang, auditwheel, pipx) into .cache/wheel-tools, once and
# again when the pins change, and prints that venv's path.
ensure_wheel_tools() {
    local python=$1 tools="$ONCEVAR_ROOT/.cache/wheel-tools"
    if ! cmp -s "$ONCEVAR_ROOT/scripts/wheel-tools.txt" "$tools/installed.txt"; then
        log "installing scripts/wheel-tools.txt into $tools"
        rm -rf "$tools"
        "$python" -m venv "$tools" >&2
        "$tools/bin/pip" install --quiet --disable-pip-version-check -r "$ONCEVAR_ROOT/scripts/wheel-tools.txt" >&2
        cp "$ONCEVAR_ROOT/scripts/wheel-tools.txt" "$tools/installed.txt"
    fi
    printf '%s\n' "$tools"
}

# usage: prints the running script's header, its comment lines from line 2
# up to the first line that is not a comment, without the leading '# '
# (what -h/--help shows).
usage() {
    sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
}
