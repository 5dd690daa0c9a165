#!/usr/bin/env bash
# Fetch the C corpora that oncevar is measured against into the git-ignored
# cache at the repository root. Nothing fetched here is ever committed.
#
#   scripts/fetch-corpus.sh                # CPython 3.11.2 (Debian source package)
#   scripts/fetch-corpus.sh --extensions   # ... plus a few C-extension sdists
#   scripts/fetch-corpus.sh --refdata      # ... plus CPython's reference data
#                                          # (refcounts.dat, Include/) of 3.9, 3.11, 3.13
#
# Results:
#   .cache/downloads/python3.11_3.11.2.orig.tar.xz   verified upstream tarball
#   .cache/corpus/cpython-3.11.2/                    extracted tree
#   .cache/downloads/sdists/*.tar.gz                 verified sdists (--extensions)
#   .cache/corpus/<name>-<version>/                  extracted sdists (--extensions)
#   .cache/corpus/cpython-refdata/<X.Y>/             Doc/data/refcounts.dat and
#                                                    Include/ of each release (--refdata)
#   .cache/stamps/                                   "done" markers
#
# Idempotent: a corpus whose tree and stamp both exist is not touched again,
# and a verified download is reused without going to the network.
# Needs root (or password-less sudo) only when CPython must be downloaded:
# it may add a deb-src entry to apt's sources and runs `apt-get update`.
# Works non-interactively (CI) on Debian bookworm.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

usage() {
    sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

WANT_EXTENSIONS=0
WANT_REFDATA=0
for arg in "$@"; do
    case "$arg" in
        --extensions) WANT_EXTENSIONS=1 ;;
        --refdata) WANT_REFDATA=1 ;;
        -h | --help)
            usage
            exit 0
            ;;
        *) die "unknown argument: $arg (try --help)" ;;
    esac
done

CACHE="$ONCEVAR_ROOT/.cache"
DOWNLOADS="$CACHE/downloads"
CORPUS="$CACHE/corpus"
STAMPS="$CACHE/stamps"
mkdir -p "$DOWNLOADS" "$CORPUS" "$STAMPS"

export DEBIAN_FRONTEND=noninteractive

# --------------------------------------------------------------------------
# CPython 3.11.2 from Debian bookworm's source package python3.11
# --------------------------------------------------------------------------
CPY_VERSION=3.11.2
CPY_SRCPKG=python3.11
CPY_SHA256=2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849
CPY_TREE="$CORPUS/cpython-$CPY_VERSION"
CPY_STAMP="$STAMPS/cpython-$CPY_VERSION"
CPY_SENTINEL="Modules/arraymodule.c"
DEB_SUITE=bookworm
SRC_LIST=/etc/apt/sources.list.d/oncevar-deb-src.sources

# True iff apt already has a deb-src entry for $DEB_SUITE.
have_deb_src() {
    # shellcheck disable=SC2016  # $(...) are apt's format fields, not shell
    apt-get indextargets --no-release-info --format '$(TARGET_OF) $(RELEASE)' 2>/dev/null |
        grep -qx "deb-src $DEB_SUITE"
}

# Prints "SITE<TAB>SOURCESENTRY" of the configured binary (deb) entry for
# $DEB_SUITE, e.g. the mirror URI this machine already uses.
deb_entry_for_suite() {
    # shellcheck disable=SC2016  # $(...) are apt's format fields, not shell
    apt-get indextargets --no-release-info \
        --format '$(TARGET_OF)	$(RELEASE)	$(SITE)	$(SOURCESENTRY)' 2>/dev/null |
        awk -F'\t' -v s="$DEB_SUITE" '$1 == "deb" && $2 == s { print $3 "\t" $4; exit }'
}

# signed_by_of FILE:N -> prints the Signed-By keyring path of that entry, if
# it is a plain path. For a deb822 .sources file N is the stanza number; for a
# one-line .list file N is the line number.
signed_by_of() {
    local entry=$1 file n
    file=${entry%:*}
    n=${entry##*:}
    [ -r "$file" ] || return 0
    case "$file" in
        *.sources)
            awk -v n="$n" '
                BEGIN { stanza = 0; inblank = 1 }
                /^[ \t]*#/ { next }
                /^[ \t]*$/ { inblank = 1; next }
                { if (inblank) { stanza++; inblank = 0 } }
                stanza == n && tolower($1) == "signed-by:" && NF == 2 && $2 ~ /^\// { print $2; exit }
            ' "$file"
            ;;
        *)
            sed -n "${n}p" "$file" | grep -o 'signed-by=[^] ]*' | head -n1 | cut -d= -f2 || true
            ;;
    esac
}

ensure_deb_src() {
    if have_deb_src; then
        log "apt already has a deb-src entry for $DEB_SUITE"
        return 0
    fi
    local entry site sentry signed_by
    entry="$(deb_entry_for_suite)"
    [ -n "$entry" ] || die "apt has no 'deb' entry for $DEB_SUITE to copy a URI from; is this Debian $DEB_SUITE?"
    site=${entry%%$'\t'*}
    sentry=${entry#*$'\t'}
    signed_by="$(signed_by_of "$sentry")"
    log "adding a deb-src entry for $DEB_SUITE to $SRC_LIST (URI copied from $sentry)"
    {
        echo "# Added by oncevar scripts/fetch-corpus.sh: source packages for the test corpus."
        echo "Types: deb-src"
        echo "URIs: $site"
        echo "Suites: $DEB_SUITE"
        echo "Components: main"
        if [ -n "$signed_by" ]; then echo "Signed-By: $signed_by"; fi
    } | as_root tee "$SRC_LIST" >/dev/null
    as_root chmod 644 "$SRC_LIST"
}

# Downloads the orig tarball of $CPY_SRCPKG into $DOWNLOADS. Prints its path.
download_cpython_orig() {
    local tmp orig
    ensure_deb_src
    log "apt-get update"
    as_root apt-get update -qq >&2 || die "apt-get update failed"

    tmp="$(mktemp -d)"
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" RETURN
    # apt drops privileges to _apt for downloads; let it write here.
    chmod 755 "$tmp"
    if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi

    log "apt-get source --download-only $CPY_SRCPKG (in $tmp)"
    # The Debian revision's patch tarball (.debian.tar.xz) or .dsc may be gone
    # from the mirror (404) while the upstream tarball is still there; that
    # must not fail us, so a failure here is only a warning.
    if ! (cd "$tmp" && apt-get source --download-only -qq "$CPY_SRCPKG" >&2); then
        warn "apt-get source did not download everything; falling back to the upstream tarball alone"
    fi

    orig="$(find "$tmp" -maxdepth 1 -name "${CPY_SRCPKG}_${CPY_VERSION}.orig.tar.*" ! -name '*.asc' | head -n1)"
    if [ -z "$orig" ]; then
        # Fallback: ask apt where the orig tarball lives and fetch just that
        # one file with apt's own downloader (checks the hash as it goes).
        local line uri name
        line="$(cd "$tmp" || exit 1
            apt-get source --print-uris -qq "$CPY_SRCPKG" 2>/dev/null |
                grep -F "${CPY_SRCPKG}_${CPY_VERSION}.orig.tar." | grep -v '\.asc' | head -n1 || true)"
        [ -n "$line" ] || die "apt knows no ${CPY_SRCPKG}_${CPY_VERSION}.orig.tar.* for $CPY_SRCPKG"
        uri="$(printf '%s\n' "$line" | awk '{ print $1 }' | tr -d "'")"
        name="$(printf '%s\n' "$line" | awk '{ print $2 }')"
        log "downloading $name with apt-helper"
        (cd "$tmp" && /usr/lib/apt/apt-helper download-file "$uri" "$tmp/$name" "SHA256:$CPY_SHA256" >&2) ||
            die "could not download $name"
        orig="$tmp/$name"
    fi

    require_sha256 "$orig" "$CPY_SHA256"
    cp -f "$orig" "$DOWNLOADS/"
    printf '%s\n' "$DOWNLOADS/$(basename "$orig")"
}

fetch_cpython() {
    if [ -f "$CPY_STAMP" ] && [ -f "$CPY_TREE/$CPY_SENTINEL" ]; then
        log "CPython $CPY_VERSION already present: $CPY_TREE"
        return 0
    fi

    local tarball="" f
    for f in "$DOWNLOADS/${CPY_SRCPKG}_${CPY_VERSION}".orig.tar.*; do
        [ -f "$f" ] || continue
        case "$f" in *.asc) continue ;; esac
        if verify_sha256 "$f" "$CPY_SHA256"; then
            log "reusing verified $f"
            tarball="$f"
            break
        fi
        warn "discarding $f: SHA-256 does not match"
        rm -f "$f"
    done
    if [ -z "$tarball" ]; then
        tarball="$(download_cpython_orig)"
    fi
    require_sha256 "$tarball" "$CPY_SHA256"

    rm -f "$CPY_STAMP"
    log "extracting $(basename "$tarball") to $CPY_TREE"
    extract_tarball "$tarball" "$CPY_TREE"
    [ -f "$CPY_TREE/$CPY_SENTINEL" ] || die "extracted tree lacks $CPY_SENTINEL"
    printf '%s  %s\n' "$CPY_SHA256" "$(basename "$tarball")" >"$CPY_STAMP"
}

# --------------------------------------------------------------------------
# C-extension sdists (with --extensions): hand-written C against the CPython API
# --------------------------------------------------------------------------
# name  version  sdist file name  sha256
SDISTS=(
    "simplejson 3.19.3 simplejson-3.19.3.tar.gz 8e086896c36210ab6050f2f9f095a5f1e03c83fa0e7f296d6cba425411364680"
    "markupsafe 2.1.5 MarkupSafe-2.1.5.tar.gz d283d37a890ba4c1ae73ffadf8046435c76e7bc2247bbb63c00bd1a709c6544b"
    "ujson 5.10.0 ujson-5.10.0.tar.gz b3cd8f3c5d8c7738257f1018880444f7b7d9b66232c64649f562d7ba86ad4bc1"
    "multidict 6.0.5 multidict-6.0.5.tar.gz f7e301075edaf50500f0b341543c41194d8df3ae5caf4702f2095f3ca73dd8da"
)
SDIST_DIR="$DOWNLOADS/sdists"

ensure_pip() {
    if python3 -m pip --version >/dev/null 2>&1; then
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || die "python3 -m pip is not available"
    log "installing python3-pip with apt-get"
    as_root apt-get update -qq >&2
    as_root apt-get install -y -qq --no-install-recommends python3-pip python3-venv >&2
    python3 -m pip --version >/dev/null 2>&1 || die "python3 -m pip is still not available"
}

fetch_sdist() {
    local name=$1 version=$2 file=$3 sha=$4
    local tree="$CORPUS/$name-$version" stamp="$STAMPS/$name-$version" path="$SDIST_DIR/$file"

    if [ -f "$stamp" ] && [ -d "$tree" ]; then
        log "$name $version already present: $tree"
        return 0
    fi
    if [ -f "$path" ] && ! verify_sha256 "$path" "$sha"; then
        warn "discarding $path: SHA-256 does not match"
        rm -f "$path"
    fi
    if [ ! -f "$path" ]; then
        ensure_pip
        mkdir -p "$SDIST_DIR"
        log "pip download $name==$version"
        PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
            python3 -m pip download --quiet --no-deps --no-binary :all: \
            -d "$SDIST_DIR" "$name==$version" >&2 ||
            die "pip download $name==$version failed"
    fi
    require_sha256 "$path" "$sha"

    rm -f "$stamp"
    log "extracting $file to $tree"
    extract_tarball "$path" "$tree"
    printf '%s  %s\n' "$sha" "$file" >"$stamp"
}

fetch_extensions() {
    local entry
    for entry in "${SDISTS[@]}"; do
        # shellcheck disable=SC2086
        fetch_sdist $entry
    done
}

# --------------------------------------------------------------------------
# CPython's reference data (with --refdata): Doc/data/refcounts.dat and the
# Include/ headers of one release per minor version that a Debian suite
# serves (scripts/gen-refcounts.py reads them and writes
# src/fix/refcounts/table.rs). The runtime supports 3.8 to 3.15; no Debian
# release shipped 3.8, 3.10 or 3.12, and the pool's python3.14 and
# python3.15 files (forky, sid: 3.14.8 to 3.14.10, 3.15.0 and 3.15.2 in
# their indexes) answer 404 from here. The table says so and covers those
# versions from their neighbours (gen-refcounts.py's docstring says how).
# --------------------------------------------------------------------------
# minor  suite  source package  Debian version  orig tarball  sha256
REFDATA=(
    "3.9 bullseye python3.9 3.9.2-1 python3.9_3.9.2.orig.tar.xz 3c2034c54f811448f516668dce09d24008a0716c3a794dd8639b5388cbde247d"
    "3.11 bookworm python3.11 3.11.2-6+deb12u8 python3.11_3.11.2.orig.tar.gz 2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849"
    "3.13 trixie python3.13 3.13.5-2+deb13u5 python3.13_3.13.5.orig.tar.xz 93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640"
)
REFDATA_DIR="$CORPUS/cpython-refdata"
REFDATA_DOWNLOADS="$DOWNLOADS/cpython-refdata"

# A private apt configuration with one deb-src line per suite: the
# machine's apt sources are not touched.
refdata_apt() {
    local apt="$CACHE/apt-refdata" suites suite archive
    if [ ! -f "$apt/.updated" ]; then
        mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/etc"
        suites="$(printf '%s\n' "${REFDATA[@]}" | awk '{ print $2 }' | sort -u)"
        : >"$apt/etc/sources.list"
        archive="$(debian_archive)"
        for suite in $suites; do
            printf 'deb-src %s %s main\n' "$archive" "$suite" >>"$apt/etc/sources.list"
        done
    fi
    REFDATA_APT=(-o "Dir::Etc::sourcelist=$apt/etc/sources.list" -o Dir::Etc::sourceparts=-
        -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt" -o APT::Get::List-Cleanup=0
        -o APT::Sandbox::User=root)
    if [ ! -f "$apt/.updated" ]; then
        log "apt-get update (private: $apt/etc/sources.list)"
        apt-get "${REFDATA_APT[@]}" update -qq >&2 || die "apt-get update failed"
        touch "$apt/.updated"
    fi
}

fetch_refdata_one() {
    local minor=$1 suite=$2 package=$3 debver=$4 file=$5 sha=$6
    local tree="$REFDATA_DIR/$minor" stamp="$STAMPS/cpython-refdata-$minor"
    local path="$REFDATA_DOWNLOADS/$file"
    if [ -f "$stamp" ] && [ -f "$tree/Doc/data/refcounts.dat" ]; then
        log "CPython $minor reference data already present: $tree"
        return 0
    fi
    mkdir -p "$REFDATA_DOWNLOADS"
    # CPython 3.11.2's tarball may be there already (the corpus above).
    if [ ! -f "$path" ] && verify_sha256 "$DOWNLOADS/$file" "$sha"; then
        cp -f "$DOWNLOADS/$file" "$path"
    fi
    if [ -f "$path" ] && ! verify_sha256 "$path" "$sha"; then
        warn "discarding $path: SHA-256 does not match"
        rm -f "$path"
    fi
    if [ ! -f "$path" ]; then
        refdata_apt
        local served line uri
        served="$(apt-cache "${REFDATA_APT[@]}" showsrc "$package" 2>/dev/null |
            sed -n 's/^Version: //p' | sort -uV | tr '\n' ' ')"
        log "Debian serves $package ${served:-(nothing)}(pinned: $debver from $suite)"
        line="$(apt-get "${REFDATA_APT[@]}" source --print-uris -qq "$package=$debver" 2>/dev/null |
            grep -F "'" | grep -F "$file" | grep -v '\.asc' | head -n1 || true)"
        [ -n "$line" ] || die "apt knows no $file for $package=$debver; if $suite moved on, pin the version it serves now (and its sha256 from the Sources index)"
        uri="$(printf '%s\n' "$line" | awk '{ print $1 }' | tr -d "'")"
        log "downloading $file with apt-helper"
        /usr/lib/apt/apt-helper download-file "$uri" "$path" "SHA256:$sha" >&2 ||
            die "could not download $file"
    fi
    require_sha256 "$path" "$sha"

    rm -f "$stamp"
    local stage
    mkdir -p "$REFDATA_DIR"
    stage="$(mktemp -d "$REFDATA_DIR/.extract.XXXXXX")"
    log "extracting refcounts.dat, Doc/c-api/ and Include/ of $file to $tree"
    tar -xf "$path" -C "$stage" --strip-components=1 --no-same-owner --wildcards \
        '*/Doc/data/refcounts.dat' '*/Doc/c-api/*' '*/Include/*' || die "could not extract $file"
    [ -f "$stage/Doc/data/refcounts.dat" ] || die "$file has no Doc/data/refcounts.dat"
    printf '%s\n' "$minor $suite $package $debver $file $sha" >"$stage/SOURCE"
    rm -rf "$tree"
    mv "$stage" "$tree"
    printf '%s  %s\n' "$sha" "$file" >"$stamp"
}

fetch_refdata() {
    local entry
    for entry in "${REFDATA[@]}"; do
        # shellcheck disable=SC2086
        fetch_refdata_one $entry
    done
}

# --------------------------------------------------------------------------

fetch_cpython
if [ "$WANT_EXTENSIONS" -eq 1 ]; then
    fetch_extensions
fi
if [ "$WANT_REFDATA" -eq 1 ]; then
    fetch_refdata
fi

rel() { printf '%s\n' "${1#"$ONCEVAR_ROOT"/}"; }
echo "corpus root: $(rel "$CORPUS")/"
cpy_tarball="?"
for f in "$DOWNLOADS/${CPY_SRCPKG}_${CPY_VERSION}".orig.tar.*; do
    case "$f" in *.asc) ;; *) [ -f "$f" ] && cpy_tarball="$(rel "$f")" ;; esac
done
echo "  cpython-$CPY_VERSION  $(rel "$CPY_TREE")/  (from $cpy_tarball)"
if [ "$WANT_EXTENSIONS" -eq 1 ]; then
    for entry in "${SDISTS[@]}"; do
        read -r name version file _ <<<"$entry"
        echo "  $name-$version  $(rel "$CORPUS/$name-$version")/  (from $(rel "$SDIST_DIR/$file"))"
    done
fi
if [ "$WANT_REFDATA" -eq 1 ]; then
    for entry in "${REFDATA[@]}"; do
        read -r minor suite _ debver file _ <<<"$entry"
        echo "  cpython-refdata $minor  $(rel "$REFDATA_DIR/$minor")/  ($file, Debian $suite $debver)"
    done
fi
