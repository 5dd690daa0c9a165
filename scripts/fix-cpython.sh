#!/usr/bin/env bash
# Rewrite CPython 3.11.2 with oncevar and prove the patch is sound:
# `oncevar check --diff` over the whole tree applies with `git apply`, and
# every patched .c file still compiles with the tree's own include paths
# after ./configure, with the same flags as its original.
#
#   scripts/fix-cpython.sh [--unsafe-fixes]   # summary table; exit 1 on failure
#
# With --unsafe-fixes the patch also rewrites the sites whose fix is unsafe
# (CPython core, limited API): it must still apply and compile.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ONCEVAR_ROOT/scripts/fetch-corpus.sh" >&2
pristine="$ONCEVAR_ROOT/.cache/corpus/cpython-3.11.2"
work="$ONCEVAR_ROOT/.cache/work/cpython-3.11.2-fixed"
out="$ONCEVAR_ROOT/.cache/reports"
mkdir -p "$out"

# Headers that CPython's optional modules include, so that "compiles" means
# the same before and after the patch rather than "its library is missing".
need=()
for pkg in libffi-dev libssl-dev libncurses-dev libbz2-dev liblzma-dev libgdbm-dev \
           libsqlite3-dev libreadline-dev tk-dev uuid-dev zlib1g-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

log "building oncevar (release)"
cargo build --release --locked --quiet --manifest-path "$ONCEVAR_ROOT/Cargo.toml"
oncevar="$ONCEVAR_ROOT/target/release/oncevar"

log "copying the tree to $work and configuring it"
rm -rf "$work"
mkdir -p "$(dirname "$work")"
cp -a "$pristine" "$work"
cd "$work"
./configure --quiet >/dev/null 2>&1 || die "configure failed"

"$oncevar" check . --output-format json >"$out/cpython-fix.json" 2>/dev/null || true
"$oncevar" check --diff "$@" . >"$out/cpython.patch" 2>"$out/cpython-diff.stderr" || true
git apply --check "$out/cpython.patch" || die "git apply --check rejects the patch"
git apply "$out/cpython.patch"
"$oncevar" runtime --write Include 2>/dev/null

mapfile -t patched < <(sed -n 's|^+++ b/||p' "$out/cpython.patch")
flags_for() {
    case "$1" in
        Objects/*|Python/*|Parser/*|Programs/*) echo "-DPy_BUILD_CORE" ;;
        Modules/_decimal/*) echo "-DPy_BUILD_CORE_MODULE -IModules/_decimal/libmpdec" ;;
        Modules/_ctypes/*) echo "-DPy_BUILD_CORE_MODULE $(pkg-config --cflags libffi 2>/dev/null)" ;;
        Modules/_tkinter.c) echo "-DPy_BUILD_CORE_MODULE $(pkg-config --cflags tk 2>/dev/null)" ;;
        Modules/*) echo "-DPy_BUILD_CORE_MODULE" ;;
        *) echo "" ;;
    esac
}
compile() { # FILE ROOT -> 0 if it compiles
    # shellcheck disable=SC2046
    (cd "$2" && gcc -fsyntax-only -std=c11 -w -I. -IInclude -IInclude/internal \
        $(flags_for "$1") "$1") 2>>"$out/cpython-compile.log"
}
: >"$out/cpython-compile.log"
c_files=0 ok=0 before_broken=0 broken=()
for f in "${patched[@]}"; do
    case "$f" in *.c) ;; *) continue ;; esac
    c_files=$((c_files + 1))
    if compile "$f" "$work"; then
        ok=$((ok + 1))
    else
        broken+=("$f")
    fi
done
# Files that did not compile before the patch either (a platform-only
# module, a missing system header) say nothing about the patch.
for f in "${broken[@]}"; do
    tmp=$(mktemp -d)
    cp -a "$work/." "$tmp/" 2>/dev/null
    (cd "$tmp" && git apply -R "$out/cpython.patch" >/dev/null 2>&1) || true
    if ! compile "$f" "$tmp"; then
        before_broken=$((before_broken + 1))
        log "$f did not compile before the patch either"
    else
        log "BROKEN BY THE PATCH: $f (see $out/cpython-compile.log)"
    fi
    rm -rf "$tmp"
done

python3 - "$out/cpython-fix.json" "$c_files" "$ok" "$before_broken" "${#patched[@]}" "$*" <<'PY'
import json, sys
report, c_files, ok, before_broken, files, mode = sys.argv[1], *map(int, sys.argv[2:6]), sys.argv[6]
findings = json.load(open(report))["findings"]
fixable = [f for f in findings if f["fix"]]
safe = [f for f in fixable if f["fix"]["safety"] == "safe"]
unsafe = [f for f in fixable if f["fix"]["safety"] != "safe"]
print(f"sites reported:               {len(findings)}")
applied = len(safe) + (len(unsafe) if "--unsafe-fixes" in mode else 0)
print(f"sites with a safe fix:        {len(safe)}")
print(f"sites with an unsafe fix:     {len(unsafe)}")
for f in unsafe:
    print(f"  {f['path']}:{f['line']} {f['variable']}: {f['fix']['reason']}")
print(f"sites without a fix:          {len(findings) - len(fixable)} (OV201/OV301, report only)")
print(f"sites rewritten by the patch: {applied}" + (" (--unsafe-fixes)" if "--unsafe-fixes" in mode else ""))
print(f"files patched:                {files} ({c_files} .c)")
print(f"patched .c files compiling:   {ok} of {c_files}"
      + (f" ({before_broken} did not compile before the patch either)" if before_broken else ""))
sys.exit(0 if ok + before_broken == c_files else 1)
PY
