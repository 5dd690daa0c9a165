#!/usr/bin/env bash
# A real-world regression run: oncevar's fixes on C extensions it was never
# tuned on. Downloads a pinned list of C-extension sdists from PyPI (each
# sha256-checked) into the git-ignored cache, scans each, writes the `--diff`,
# checks that it applies (`git apply --check`), and compiles every translation
# unit that the patch touches with `gcc -fsyntax-only`, before and after, with
# the machine's Python headers, the package's own header folders, the
# runtime header and the package's system-library flags. Then each package
# is built under bear (Debian's package `bear`) in a copy of its tree:
# `python3 setup.py build_ext --force`, else `pip wheel --no-deps
# --no-build-isolation .`, else `pip wheel --no-deps .`; where a build works,
# its compile_commands.json verifies the fixes (`oncevar check --verify`:
# each fixed file compiled with its unit's recorded command, before and
# after). Prints a table: package, sites per code, fixes safe/unsafe, the
# unsafe ones whose ownership or init phase was not proven, files patched,
# units compiled, units that did not compile before (counted, never
# blamed), new errors, then the database's units and the fixes
# verified, refused and not verified; below it, why a package has no
# database and why a fix was refused.
#
#   scripts/realworld.sh                  # safe fixes; exit 1 on a new error
#   scripts/realworld.sh --unsafe-fixes   # also unsafe fixes; report only
#   scripts/realworld.sh --jobs N         # parallel gcc and builds (default: nproc)
#   scripts/realworld.sh --only NAME      # one package (repeatable)
#   scripts/realworld.sh --no-bear        # no build, no verification (2 minutes)
#   scripts/realworld.sh --rebuild        # build again under bear (else reused)
#   scripts/realworld.sh --fetch-only     # download and extract, nothing else
#   scripts/realworld.sh --oncevar PATH   # measure that binary (an older build,
#                                         # side by side), not this checkout's
#
# Results: .cache/reports/realworld/summary.md (the table), and per package
# report.json, fix.patch and compile.log (each unit's status and first
# errors), bear.log, verify.json and verify.stderr. The builds are kept in
# .cache/work/realworld-bear (the first run builds 39 packages: about 20
# minutes on 2 cores). Exit 1 when a safe fix breaks a unit that compiled
# before or is refused by its unit's command, when a patch does not apply,
# or when oncevar fails on a package.
#
# Needs root (or password-less sudo) the first time, to install bear and
# the -dev packages whose headers the extensions include (apt-get).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

UNSAFE=() JOBS="$(nproc)" ONLY=() FETCH_ONLY=0 BEAR=(--bear) REBUILD=0 ONCEVAR_BIN=
while [ $# -gt 0 ]; do
    case "$1" in
        --unsafe-fixes) UNSAFE=(--unsafe-fixes) ;;
        --jobs) JOBS=${2:?--jobs needs a number}; shift ;;
        --only) ONLY+=("${2:?--only needs a package name}"); shift ;;
        --fetch-only) FETCH_ONLY=1 ;;
        --no-bear) BEAR=() ;;
        --rebuild) REBUILD=1 ;;
        --oncevar) ONCEVAR_BIN=${2:?--oncevar needs a path}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument: $1 (try --help)" ;;
    esac
    shift
done

# Hand-written C extensions (no Cython, no C++), none of them in
# fetch-corpus.sh. Fields: name, version, sdist file, sha256, then what
# their build passes to the compiler: pkg-config modules, -D defines, and
# include folders of another package in this list (each comma-separated,
# `-` for none). apsw and pygobject are pinned to the releases that match
# Debian bookworm's SQLite (3.40) and gobject-introspection (1.74): newer
# ones refuse to compile against them.
SDISTS=(
    "apsw 3.40.1.0 apsw-3.40.1.0.tar.gz 09d3b6ec19cd4d19805e33813ae29c194b53e81f842a76084eb0d9a607256d0c sqlite3 - -"
    "bitarray 3.12.3 bitarray-3.12.3.tar.gz 919e35a951c0a551631b94bf568f3f5e38d004e0c60866cb2ca51bd8c4778fec - - -"
    "bitstruct 8.24.0 bitstruct-8.24.0.tar.gz c72d8bd3b1762a5bcc9fde16bfa4d52800a4bc8d79f81bc7ee0e0bca5b5e901e - - -"
    "brotli 1.2.1 brotli-1.2.1.tar.gz 02b2f7b5a83485efe448a44ddf7983def05c3bb1dcf917d4f7154070260e13de - - -"
    "BTrees 6.5 btrees-6.5.tar.gz 1876cad0ebcac3f68dadcdca8018ea6cb76b334f9991a73aa85cbb0cb8fd8cf0 - - persistent-6.9/src"
    "cbor2 5.6.5 cbor2-5.6.5.tar.gz b682820677ee1dbba45f7da11898d2720f92e06be36acec290867d5ebf3d7e09 - - -"
    "cffi 2.1.1 cffi-2.1.1.tar.gz dd31f52ea1086513bb9df30f8fcee9b8918323ae067a3d5b78bc826a000712be libffi - -"
    "ciso8601 2.4.1 ciso8601-2.4.1.tar.gz 76452eacea17b948645c66ca92b7d282e909dc04e9b158340adced09b3f77ee3 - - -"
    "coverage 7.17.5 coverage-7.17.5.tar.gz 4f41d35b798714a2e79ec2097d6b03c92cd3b7de58e422fce7a1ca2c0c25b276 - - -"
    "crc32c 2.9.post0 crc32c-2.9.post0.tar.gz 6a089e0340de8438e836a09e613c6b541675d0f3aa92b3fe34295aaba62f014f - - -"
    "crcmod 1.7 crcmod-1.7.tar.gz dc7051a0db5f2bd48665a990d3ec1cc305a466a77358ca4492826f41f283601e - - -"
    "hiredis 3.5.0 hiredis-3.5.0.tar.gz c227592cc56b7df247abe4755c26723965be68972be2149fa441ac33d82131ba - - -"
    "immutables 0.21 immutables-0.21.tar.gz b55ffaf0449790242feb4c56ab799ea7af92801a0a43f9e2f4f8af2ab24dfc4a - - -"
    "lazy-object-proxy 1.13.0 lazy_object_proxy-1.13.0.tar.gz ce34046cb021d69c72d05ddb83821ecfd4d2d0a5d43a93c5cd01c9e34779cf14 - - -"
    "lz4 4.4.5 lz4-4.4.5.tar.gz 5f0b9e53c1e82e88c10d7c180069363980136b9d7a8306c4dca4f760d60c39f0 - - -"
    "mmh3 5.3.1 mmh3-5.3.1.tar.gz bd86d0c86b52332319d981d03781ff77811a29db544a69902dc06b5506bb3e19 - - -"
    "mysqlclient 2.3.2 mysqlclient-2.3.2.tar.gz d8921cc2e8aa0e7f7c1c0b69b17e3a6f370dae235c7e7716938959dac84de4eb libmariadb - -"
    "netifaces 0.11.0 netifaces-0.11.0.tar.gz 043a79146eb2907edf439899f262b3dfe41717d34124298ed281139a8b93ca32 - HAVE_GETIFADDRS=1,HAVE_SOCKADDR_SA_LEN=0 -"
    "persistent 6.9 persistent-6.9.tar.gz 85727c3d638ff8830878abf816acfaa8c288a3b372ab77ba482367eba970e2b2 - - -"
    "pillow 12.0.0 pillow-12.0.0.tar.gz 87d4f8125c9988bfbed67af47dd7a953e2fc7b0cc1e7800ec6d2080d490bb353 freetype2,libjpeg,zlib - -"
    "posix-ipc 1.3.2 posix_ipc-1.3.2.tar.gz 6923232111329954a8349f7d99f212b6e96b5206e77fbd39aaf1b3cb4a5e9260 - - -"
    "psutil 7.2.2 psutil-7.2.2.tar.gz 0746f5f8d406af344fd547f1c8daa5f5c33dbc293bb8d6a16d80b4bb88f59372 - PSUTIL_POSIX=1,PSUTIL_LINUX=1,PSUTIL_VERSION=722 -"
    "psycopg2 2.9.13 psycopg2-2.9.13.tar.gz d36784fc2dae69523ba4b79c7d1d1b4d6e83e87836874f111262f4db940b16a6 libpq PSYCOPG_VERSION=\"2.9.13\",PG_VERSION_NUM=150000 -"
    "pyahocorasick 2.3.1 pyahocorasick-2.3.1.tar.gz 9d0f6bb522237ed7f111ed59c9e8baea7d1e75813587b6773babd43bda35db9f - AHOCORASICK_UNICODE -"
    "pycairo 1.29.0 pycairo-1.29.0.tar.gz f3f7fde97325cae80224c09f12564ef58d0d0f655da0e3b040f5807bd5bd3142 cairo - -"
    "pycurl 7.49.0 pycurl-7.49.0.tar.gz d4327da9dea72768f942f831bbaa5a64adca4d7c89f3141da7a833d3c600ab90 libcurl PYCURL_VERSION=\"7.49.0\",HAVE_CURL_SSL=1,HAVE_CURL_OPENSSL=1 -"
    "pygame 2.6.1 pygame-2.6.1.tar.gz 56fb02ead529cee00d415c3e007f75e0780c655909aaa8e8bf616ee09c9feb1f sdl2,SDL2_image,SDL2_mixer,SDL2_ttf,freetype2 - -"
    "pygobject 3.42.2 PyGObject-3.42.2.tar.gz 21524cef33100c8fd59dc135948b703d79d303e368ce71fa60521cc971cd8aa7 gobject-introspection-1.0,glib-2.0,gobject-2.0,libffi,cairo,cairo-gobject - -"
    "pyrsistent 0.20.0 pyrsistent-0.20.0.tar.gz 4c48f78f62ab596c679086084d0dd13254ae4f3d6c72a83ffdf5ebdef8f265a4 - - -"
    "python-ldap 3.4.8 python_ldap-3.4.8.tar.gz 18dc7460470c6ff64ed5c04ee21c56dbfee7ab433a53213ba91e407eea44c34c ldap,lber HAVE_SASL,HAVE_TLS,LDAPMODULE_VERSION=3.4.8,LDAPMODULE_AUTHOR=python-ldap,LDAPMODULE_LICENSE=PSF -"
    "pyxattr 0.8.1 pyxattr-0.8.1.tar.gz 48c578ecf8ea0bd4351b1752470e301a90a3761c7c21f00f953dcf6d6fa6ee5a - _XATTR_VERSION=\"0.8.1\",_XATTR_AUTHOR=\"x\",_XATTR_EMAIL=\"x\" -"
    "regex 2026.11.19 regex-2026.11.19.tar.gz 2826a006b68acfd3ed5074433caafe21d7f9d026eb82cb856724a4a893a70915 - - -"
    "tornado 6.6.1 tornado-6.6.1.tar.gz 28e6311402af59c8b02e3fa0f5e7d8eb465b25081381803b127d97e6a4395d5a - - -"
    "typed-ast 1.5.5 typed_ast-1.5.5.tar.gz 94282f7a354f36ef5dbce0ef3467ebf6a258e370ab33d5b40c249fa996e590dd - - -"
    "wrapt 2.5.2 wrapt-2.5.2.tar.gz 551cb49e88b3722faad780303833bc4fa70685fb1773270fb98b40d39d9fddbf - - -"
    "xxhash 4.1.0 xxhash-4.1.0.tar.gz c9b288e4c1f5dae54417bc8a05e6f6daf505783d916b4783f4dd2f2e7d5db486 - - -"
    "zope.interface 8.7 zope_interface-8.7.tar.gz 0b47b62e8d0d99b24bcdd32f4f2120425e5019c3bee2ad69a0e1d75737487a96 - - -"
    "zope.proxy 7.3 zope_proxy-7.3.tar.gz a2c00ff84d416b5008bbcdd7337eb800ade8bc083312e8b5e0ecd7d0c0d11cf6 - - -"
    "zstandard 0.25.0 zstandard-0.25.0.tar.gz 7713e1179d162cf5c7906da876ec2ccb9c3a9dcbdffef0cc7f70c3667a205f0b - - -"
)
# Debian packages with the headers (and .pc files) the list above needs, and
# bear (the builds under bear).
APT_HEADERS=(bear pkg-config libsqlite3-dev libffi-dev libmariadb-dev libfreetype-dev libjpeg-dev zlib1g-dev
    libpq-dev libcairo2-dev libcurl4-openssl-dev libsdl2-dev libsdl2-image-dev libsdl2-mixer-dev
    libsdl2-ttf-dev libgirepository1.0-dev libldap2-dev libsasl2-dev)

CACHE="$ONCEVAR_ROOT/.cache"
SDIST_DIR="$CACHE/downloads/sdists"
CORPUS="$CACHE/corpus/realworld"
STAMPS="$CACHE/stamps/realworld"
WORK="$CACHE/work/realworld"
BEAR_CACHE="$CACHE/work/realworld-bear"
REPORTS="$CACHE/reports/realworld"
mkdir -p "$SDIST_DIR" "$CORPUS" "$STAMPS"
rm -rf "$REPORTS" && mkdir -p "$REPORTS"   # no stale package reports

selected() { # NAME -> true when --only was not given or names it
    [ ${#ONLY[@]} -eq 0 ] && return 0
    local o
    for o in "${ONLY[@]}"; do [ "$o" = "$1" ] && return 0; done
    return 1
}

install_headers() {
    local need=() pkg
    for pkg in "${APT_HEADERS[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
    done
    [ ${#need[@]} -eq 0 ] && return 0
    log "installing ${need[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

# Downloads NAME==VERSION's sdist FILE into $SDIST_DIR: with pip, or, when
# pip cannot prepare the package's metadata within two minutes (its build
# needs a system library, fetches something in setup.py, or builds a build
# tool from source), from the index's JSON API (the index pip itself is
# configured with). The caller checks sha256.
download_sdist() {
    local name=$1 version=$2 file=$3
    log "downloading $name==$version"
    if PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 timeout 120 python3 -m pip download --quiet --no-deps \
        --no-binary :all: -d "$SDIST_DIR" "$name==$version" >"$SDIST_DIR/.$name.log" 2>&1 &&
        [ -f "$SDIST_DIR/$file" ]; then
        return 0
    fi
    log "pip could not prepare $name $version; fetching $file from the index's JSON API"
    python3 - "$name" "$file" "$SDIST_DIR/$file" <<'PY'
import json, os, ssl, sys, urllib.request
from pip._internal.models.index import PyPI  # the default index, as pip names it

name, file, dest = sys.argv[1:]
ctx = ssl.create_default_context(cafile=os.environ.get("PIP_CERT") or None)
project = name.lower().replace("_", "-").replace(".", "-")
req = urllib.request.Request(f"{PyPI.simple_url}/{project}/",
                             headers={"Accept": "application/vnd.pypi.simple.v1+json"})
with urllib.request.urlopen(req, context=ctx, timeout=120) as r:
    files = json.load(r)["files"]
url = next((f["url"] for f in files if f["filename"] == file), None)
if url is None:
    sys.exit(f"the index lists no {file}")
with urllib.request.urlopen(url, context=ctx, timeout=300) as r, open(dest + ".part", "wb") as o:
    o.write(r.read())
os.replace(dest + ".part", dest)
PY
}

fetch_one() { # name version file sha256
    local name=$1 version=$2 file=$3 sha=$4
    local tree="$CORPUS/$name-$version" stamp="$STAMPS/$name-$version" path="$SDIST_DIR/$file"
    if [ -f "$stamp" ] && [ -d "$tree" ]; then
        return 0
    fi
    if [ -f "$path" ] && ! verify_sha256 "$path" "$sha"; then
        warn "discarding $path: SHA-256 does not match"
        rm -f "$path"
    fi
    [ -f "$path" ] || download_sdist "$name" "$version" "$file" || die "could not download $name $version"
    require_sha256 "$path" "$sha"
    extract_tarball "$path" "$tree"
    printf '%s  %s\n' "$sha" "$file" >"$stamp"
}

install_headers
command -v gcc >/dev/null || die "gcc is needed"
command -v python3-config >/dev/null || die "python3-config is needed (python3-dev)"

# Fetch in parallel (pip spends most of its time preparing metadata).
pids=()
spec="$REPORTS/spec.txt"
: >"$spec"
for entry in "${SDISTS[@]}"; do
    read -r name version file sha modules defines includes <<<"$entry"
    selected "$name" || continue
    fetch_one "$name" "$version" "$file" "$sha" &
    pids+=($!)
    if [ ${#pids[@]} -ge 4 ]; then
        wait "${pids[0]}" || die "fetching failed"
        pids=("${pids[@]:1}")
    fi
    printf '%s %s %s %s %s %s\n' "$name" "$version" "$CORPUS/$name-$version" "$modules" "$defines" "$includes" >>"$spec"
done
for pid in "${pids[@]}"; do wait "$pid" || die "fetching failed"; done
[ -s "$spec" ] || die "no package selected"
[ "$FETCH_ONLY" = 0 ] || { log "fetched into $CORPUS"; exit 0; }

if [ -z "$ONCEVAR_BIN" ]; then
    log "building oncevar (release)"
    ONCEVAR_BIN="$(build_oncevar --release)"
fi
[ -x "$ONCEVAR_BIN" ] || die "not an executable: $ONCEVAR_BIN"
ONCEVAR_BIN="$(cd "$(dirname "$ONCEVAR_BIN")" && pwd -P)/$(basename "$ONCEVAR_BIN")"

if [ "$REBUILD" = 1 ]; then
    while read -r name version _; do rm -rf "${BEAR_CACHE:?}/$name-$version"; done <"$spec"
fi
python3 "$ONCEVAR_ROOT/scripts/realworld.py" --oncevar "$ONCEVAR_BIN" \
    --spec "$spec" --work "$WORK" --reports "$REPORTS" --jobs "$JOBS" "${UNSAFE[@]}" \
    "${BEAR[@]}" --bear-cache "$BEAR_CACHE"
