#!/usr/bin/env bash
# The newest CPythons (3.14, 3.15) from Debian testing and unstable, unpacked
# under .cache without installing them: installing would upgrade this
# machine's libc. The runtime's C tests and scripts/bench-runtime.sh use them.
#
#   scripts/fetch-pythons.sh              # 3.14 and 3.15
#   scripts/fetch-pythons.sh 3.15         # the versions named
#
# For each version 3.X, through a private apt configuration in
# .cache/pythons/apt (deb lines for testing and unstable, on the Debian
# archive that the machine's own apt sources name: lib.sh's debian_archive;
# those sources are left alone), `apt-get download` fetches python3.X, -minimal,
# -dev, -dbg and libpython3.X, -minimal, -stdlib, -dev, -dbg, with the libc6,
# libexpat1 and zlib1g of those suites; apt checks each package against the
# suites' signed indices. They are unpacked with dpkg-deb into
# .cache/pythons/3.X/root. Nothing is pinned: the newest version served is
# taken, and logged. A package that is not served is skipped with a message
# (the whole version when python3.X itself is not).
#
# .cache/pythons/3.X/bin holds wrappers: python3.X and python3.Xd run the
# interpreters through the unpacked libc's loader; python3.X-config and
# python3.Xd-config print Debian's flags plus what building against the
# unpacked tree needs (-I for the multiarch pyconfig.h; the loader, an rpath
# to the unpacked libraries, and --allow-shlib-undefined, since libpython
# needs symbols of the newer libc that the link sees only at run time). A
# program built with those flags runs directly; set PYTHONHOME to
# `python3.X-config --prefix` (the runtime's C tests do).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
esac
VERSIONS=("$@")
[ ${#VERSIONS[@]} -gt 0 ] || VERSIONS=(3.14 3.15)
for v in "${VERSIONS[@]}"; do
    [[ "$v" =~ ^3\.[0-9]+$ ]] || die "not a CPython version: $v (e.g. 3.14)"
done
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
    || die "needs apt-get and dpkg-deb (Debian or a derivative)"

mkdir -p "$ONCEVAR_ROOT/.cache/pythons"
# The real path: the wrappers name it, and .cache may be a link.
CACHE="$(cd "$ONCEVAR_ROOT/.cache/pythons" && pwd -P)"
APT="$CACHE/apt"
mkdir -p "$APT/lists/partial" "$APT/archives/partial" "$APT/etc"
ARCHIVE="$(debian_archive)"
printf 'deb %s %s main\n' "$ARCHIVE" testing "$ARCHIVE" unstable >"$APT/etc/sources.list"
APT_OPTS=(-o "Dir::Etc::sourcelist=$APT/etc/sources.list" -o Dir::Etc::sourceparts=-
    -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT" -o Dir::State::status=/dev/null
    -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root)
log "apt-get update (testing, unstable; private lists in $APT)"
apt-get "${APT_OPTS[@]}" update -qq

# served PACKAGE -> the version apt would download, or nothing.
served() {
    apt-cache "${APT_OPTS[@]}" policy "$1" 2>/dev/null | sed -n 's/^  Candidate: //p' | grep -v '(none)' || true
}

# A wrapper config script: Debian's, plus the flags the unpacked tree needs.
write_config() { # NAME REAL ROOT
    local name=$1 real=$2 root=$3 lib="$3/usr/lib/x86_64-linux-gnu"
    cat >"$CACHE/$v/bin/$name" <<EOF
#!/bin/sh
# Written by scripts/fetch-pythons.sh: $real, for the tree unpacked in $root.
out=\$("$real" "\$@") || exit \$?
extra=
for arg in "\$@"; do
    case "\$arg" in
        --includes|--cflags) extra="\$extra -I$root/usr/include" ;;
        --ldflags|--libs) extra="\$extra -Wl,--dynamic-linker=$root/usr/lib64/ld-linux-x86-64.so.2 -Wl,--disable-new-dtags,-rpath,$lib -Wl,--allow-shlib-undefined" ;;
    esac
done
echo "\$out\$extra"
EOF
    chmod +x "$CACHE/$v/bin/$name"
}

write_interpreter() { # NAME REAL ROOT
    cat >"$CACHE/$v/bin/$1" <<EOF
#!/bin/sh
# Written by scripts/fetch-pythons.sh: $2 through the unpacked libc's loader.
exec "$3/usr/lib64/ld-linux-x86-64.so.2" --library-path "$3/usr/lib/x86_64-linux-gnu" "$2" "\$@"
EOF
    chmod +x "$CACHE/$v/bin/$1"
}

for v in "${VERSIONS[@]}"; do
    version="$(served "python$v")"
    if [ -z "$version" ]; then
        warn "python$v is not served by Debian testing or unstable: skipped"
        continue
    fi
    dir="$CACHE/$v"
    stamp="$dir/.fetched-$version"
    if [ -f "$stamp" ]; then
        log "python$v $version: cached in $dir"
        continue
    fi
    rm -rf "$dir"
    mkdir -p "$dir/debs" "$dir/bin"
    packages=()
    for p in "python$v" "python$v-minimal" "python$v-dev" "python$v-dbg" \
        "libpython$v" "libpython$v-minimal" "libpython$v-stdlib" "libpython$v-dev" \
        "libpython$v-dbg" libc6 libexpat1 zlib1g; do
        if [ -n "$(served "$p")" ]; then
            packages+=("$p")
        else
            warn "$p is not served: skipped"
        fi
    done
    log "python$v $version: apt-get download ${packages[*]}"
    (cd "$dir/debs" && apt-get "${APT_OPTS[@]}" download -qq "${packages[@]}")
    for deb in "$dir"/debs/*.deb; do
        dpkg-deb -x "$deb" "$dir/root"
    done
    root="$dir/root"
    for flavour in "" d; do
        [ -x "$root/usr/bin/python$v$flavour" ] || continue
        write_interpreter "python$v$flavour" "$root/usr/bin/python$v$flavour" "$root"
        write_config "python$v$flavour-config" "$root/usr/bin/python$v$flavour-config" "$root"
    done
    "$dir/bin/python$v" -c 'import sys; print(sys.version)' >/dev/null \
        || die "the unpacked python$v does not run (see $dir)"
    touch "$stamp"
    log "python$v $version: $dir/bin ($(ls "$dir/bin" | tr '\n' ' '))"
done
