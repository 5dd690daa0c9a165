#!/usr/bin/env bash
# `oncevar audit`'s verdicts against what CPython does, on CPython 3.13+ with
# interpreters that have their own GIL (`_interpreters`, config "isolated":
# own GIL, own allocator, multi-phase extensions checked for the claim).
#
# Own modules (scripts/e2e/audit/*.c), each copied, audited, built and run:
#   lazycache    blocked by OV101 (fix safe); after `audit --fix` the audit
#                must say ok, then the claim
#                {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED}
#                is added, the audit must not contradict it, and the module
#                is imported and checked in 3 isolated sub-interpreters
#                (each gets its own cached class) and in main afterwards.
#                Before the fix, with the claim forced, a sub-interpreter
#                gets the main interpreter's class (OV101 predicted it).
#   setonce      OV301: a destroyed sub-interpreter's m_free empties the
#                static for main (SystemError), with the claim forced. After
#                `audit --fix` (the static becomes a per-interpreter slot
#                set in exec, cleared by m_free) the audit must say ok and
#                accept the claim, an isolated sub-interpreter gets its own
#                object, and destroying it leaves main's static working.
#   singlephase  OV501: an isolated sub-interpreter refuses the import.
#   findmodule   OV504: PyState_FindModule finds nothing (multi-phase).
#   statictype   OV502: the type is one object in every interpreter.
# Real extensions (the sdists of scripts/realworld.sh, when fetched): each
# module of ONCEVAR_AUDIT_SDISTS (default below) is audited; a blocked one
# whose blocker is single-phase init is built and must be refused by an
# isolated sub-interpreter; one whose audit says ok after --fix is built
# with the claim added, imported in 3 isolated sub-interpreters, and its
# test command (if given) run in main afterwards.
#
#   scripts/e2e-audit.sh               # exit 1 when a verdict and CPython disagree
#   PYTHON=/path/to/python3.13 scripts/e2e-audit.sh
#   ONCEVAR_BIN=/path/to/oncevar scripts/e2e-audit.sh   # that binary, none built
#
# Needs a CPython 3.13 or later with its headers (default: the newest of
# ~/.pyenv/versions/3.1[3-9]*; also the unpacked ones of
# scripts/fetch-pythons.sh, e.g. PYTHON=.cache/pythons/3.14/bin/python3.14d),
# gcc. Work folder: .cache/e2e-audit.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ONCEVAR_ROOT"

PY=${PYTHON:-}
if [ -z "$PY" ]; then
    for v in $(ls -d "$HOME"/.pyenv/versions/3.1[3-9]* 2>/dev/null | sort -V); do
        [ -x "$v/bin/python3" ] && PY="$v/bin/python3"
    done
fi
[ -n "$PY" ] || die "no CPython 3.13+ found: set PYTHON"
"$PY" -c 'import _interpreters' 2>/dev/null || die "$PY has no _interpreters (3.13+ needed)"
# The headers: the -config script beside the interpreter when there is one
# (the CPythons of scripts/fetch-pythons.sh need its extra -I for Debian's
# multiarch pyconfig.h, which sysconfig's include folder does not give),
# else sysconfig's include folder.
if [ -x "$PY-config" ]; then
    read -r -a INCLUDES <<<"$("$PY-config" --includes)"
else
    INCLUDES=(-I"$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')")
fi
EXT=$("$PY" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
log "CPython: $("$PY" -c 'import sys; print(sys.version.split()[0])') ($PY)"

if [ -n "${ONCEVAR_BIN:-}" ]; then
    ONCEVAR=$ONCEVAR_BIN
else
    ONCEVAR="$(build_oncevar --release)"
fi
WORK="$ONCEVAR_ROOT/.cache/e2e-audit"
rm -rf "$WORK"
mkdir -p "$WORK"
SRC="$ONCEVAR_ROOT/scripts/e2e/audit"
CLAIM='{Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},'
failures=0
fail() {
    warn "$*"
    failures=$((failures + 1))
}

# verdict DIR MODULE FIELD: `ok` or `blocked` from the JSON audit of DIR.
verdict() {
    (cd "$1" && "$ONCEVAR" audit --output-format json . 2>/dev/null || true) |
        "$PY" -c '
import json, sys
mods = [m for m in json.load(sys.stdin)["modules"] if m["name"] == sys.argv[1]]
print(mods[0][sys.argv[2]]["verdict"] if mods else "missing")
' "$2" "$3"
}

# blocker_codes DIR MODULE: the codes blocking an own GIL, sorted, joined.
blocker_codes() {
    (cd "$1" && "$ONCEVAR" audit --output-format json . 2>/dev/null || true) |
        "$PY" -c '
import json, sys
mods = [m for m in json.load(sys.stdin)["modules"] if m["name"] == sys.argv[1]]
print(",".join(sorted({b["code"] for m in mods for b in m["per_interpreter_gil"]["blockers"]})))
' "$2"
}

# build DIR FILE...: compiles the files into DIR/<module>$EXT (module: the
# first file's stem, unless MODULE is set).
build() {
    local dir=$1
    shift
    local name=${MODULE:-$(basename "${1%.c}")}
    gcc -shared -fPIC -O1 -w "${INCLUDES[@]}" -I"$dir" "$@" -o "$dir/$name$EXT" 2>"$dir/build.log" ||
        { cat "$dir/build.log" >&2; return 1; }
}

drive() { # DIR ARGS...
    local dir=$1
    shift
    (cd "$dir" && PYTHONPATH="$dir" timeout 120 "$PY" "$SRC/drive.py" "$@")
}

# lazycache: fixed, then claimed, then loaded in isolated interpreters.
d="$WORK/lazycache"
b="$WORK/lazycache-before"
mkdir -p "$d" "$b"
cp "$SRC/lazycache.c" "$d/"
cp "$SRC/lazycache.c" "$b/"
[ "$(blocker_codes "$d" lazycache)" = OV101 ] || fail "lazycache: blockers $(blocker_codes "$d" lazycache), expected OV101"
sed -i "s|/\* CLAIM \*/|$CLAIM|" "$b/lazycache.c"
build "$b" "$b/lazycache.c" || fail "lazycache (before) does not build"
if out=$(drive "$b" shared-cache); then check "lazycache before --fix, OV101 predicted: $out"; else fail "lazycache before --fix: $out"; fi
(cd "$d" && "$ONCEVAR" -q audit --fix --write-runtime . . >/dev/null 2>&1) || true
[ "$(verdict "$d" lazycache per_interpreter_gil)" = ok ] || fail "lazycache: own GIL not ok after --fix"
[ "$(verdict "$d" lazycache free_threading)" = ok ] || fail "lazycache: free threading not ok after --fix"
sed -i "s|/\* CLAIM \*/|$CLAIM|" "$d/lazycache.c"
(cd "$d" && "$ONCEVAR" -q audit . >/dev/null 2>&1) || fail "lazycache: the audit contradicts the added claim"
build "$d" "$d/lazycache.c" || fail "lazycache (fixed) does not build"
if out=$(drive "$d" isolated-ok lazycache '
import decimal
assert lazycache.decimal_class() is decimal.Decimal, "not this interpreter s class"
assert lazycache.to_decimal("1.5") == decimal.Decimal("1.5")
'); then check "lazycache after --fix: $out"; else fail "lazycache after --fix: $out"; fi

# The blocked ones: the blocker's prediction, with the claim forced where
# the module must load.
for entry in "setonce|OV301|shared-static" "singlephase|OV501|refused singlephase" \
    "findmodule|OV504|not-found" "statictype|OV502|shared-type"; do
    IFS='|' read -r name code what <<<"$entry"
    d="$WORK/$name"
    mkdir -p "$d"
    cp "$SRC/$name.c" "$d/"
    got=$(blocker_codes "$d" "$name")
    [ "$got" = "$code" ] || fail "$name: blockers '$got', expected $code"
    [ "$(verdict "$d" "$name" per_interpreter_gil)" = blocked ] || fail "$name: own GIL not blocked"
    sed -i "s|/\* CLAIM \*/|$CLAIM|" "$d/$name.c"
    build "$d" "$d/$name.c" || { fail "$name does not build"; continue; }
    # shellcheck disable=SC2086 # $what is the check and its arguments
    if out=$(drive "$d" $what); then check "$name, $code predicted: $out"; else fail "$name ($code): $out"; fi
done

# setonce fixed: each interpreter's exec fills its own slot, and a
# sub-interpreter's m_free empties only its own (the SystemError is gone).
d="$WORK/setonce-fixed"
mkdir -p "$d"
cp "$SRC/setonce.c" "$d/"
(cd "$d" && "$ONCEVAR" -q audit --fix --write-runtime . . >/dev/null 2>&1) || true
[ "$(verdict "$d" setonce per_interpreter_gil)" = ok ] || fail "setonce: own GIL not ok after --fix"
sed -i "s|/\* CLAIM \*/|$CLAIM|" "$d/setonce.c"
(cd "$d" && "$ONCEVAR" -q audit . >/dev/null 2>&1) || fail "setonce: the audit contradicts the added claim"
if build "$d" "$d/setonce.c"; then
    if out=$(drive "$d" kept-static); then check "setonce after --fix: $out"; else fail "setonce after --fix: $out"; fi
else
    fail "setonce (fixed) does not build"
fi

# Real extensions, one a line: package | sdist folder | module (dotted
# import name; its PyInit_ is the last part) | sources | include folders
# and -D flags (as its setup.py passes them) |
# code to run in each interpreter | unittest folder:pattern run in main
# afterwards (`-`: none). Sources and folders are relative to the sdist,
# comma-separated.
REAL_DEFAULT=(
    "crcmod|crcmod-1.7|_crcfunext|python3/src/_crcfunext.c|-|pass|-"
    "netifaces|netifaces-0.11.0|netifaces|netifaces.c|-DHAVE_GETIFADDRS=1|pass|-"
    "pyxattr|pyxattr-0.8.1|xattr|xattr.c|-D_XATTR_VERSION=\"0.8.1\",-D_XATTR_AUTHOR=\"a\",-D_XATTR_EMAIL=\"e\"|pass|-"
    "tornado|tornado-6.6.1|tornado.speedups|tornado/speedups.c|-|assert tornado.speedups.websocket_mask(b'abcd', b'\\x00\\x00\\x00\\x00') == b'abcd'|-"
    "xxhash|xxhash-4.1.0|xxhash._xxhash|src/_xxhash.c,deps/xxhash/xxhash.c|deps/xxhash|assert xxhash._xxhash.xxh64(b'abc').hexdigest() == xxhash._xxhash.xxh64_hexdigest(b'abc')|tests:test_xxh*.py"
    "crc32c|crc32c-2.9.post0|_crc32c|src/crc32c/ext/_crc32c.c,src/crc32c/ext/checkarm.c,src/crc32c/ext/checksse42.c,src/crc32c/ext/crc32c_adler.c,src/crc32c/ext/crc32c_arm64.c,src/crc32c/ext/crc32c_sw.c|src/crc32c/ext|assert _crc32c.crc32c(b'123456789') == 0xE3069283|-"
)
CORPUS="$ONCEVAR_ROOT/.cache/corpus/realworld"
REAL=()
if [ ! -d "$CORPUS" ]; then
    warn "$CORPUS missing (scripts/realworld.sh --fetch-only): real extensions skipped"
elif [ -n "${ONCEVAR_AUDIT_SDISTS:-}" ]; then
    mapfile -t REAL <<<"$ONCEVAR_AUDIT_SDISTS"
else
    REAL=("${REAL_DEFAULT[@]}")
fi
for entry in "${REAL[@]}"; do
    IFS='|' read -r pkg folder module sources includes code suite <<<"$entry"
    init=${module##*.}
    d="$WORK/real-$pkg"
    rm -rf "$d"
    cp -a "$CORPUS/$folder" "$d"
    flags=()
    if [ "$includes" != - ]; then
        IFS=',' read -ra inc <<<"$includes"
        for i in "${inc[@]}"; do
            case "$i" in
            -*) flags+=("$i") ;;
            *) flags+=(-I"$d/$i") ;;
            esac
        done
    fi
    IFS=',' read -ra files <<<"$sources"
    paths=()
    for f in "${files[@]}"; do paths+=("$d/$f"); done
    out_so="$d/${module//.//}$EXT"
    compile() { # EXTRA FLAGS...
        gcc -shared -fPIC -O1 -w "${INCLUDES[@]}" "$@" "${flags[@]}" "${paths[@]}" -o "$out_so" 2>"$d/build.log"
    }
    pig=$(verdict "$d" "$init" per_interpreter_gil)
    codes=$(blocker_codes "$d" "$init")
    if [ "$pig" = missing ]; then
        fail "$pkg: the audit finds no module $init"
        continue
    fi
    case ",$codes," in
    *,OV501,*)
        compile || { warn "$pkg does not build here: skipped ($(head -c 300 "$d/build.log"))"; continue; }
        if out=$(drive "$d" refused "$module"); then check "$pkg: single-phase (OV501) predicted: $out"; else fail "$pkg (OV501): $out"; fi
        continue
        ;;
    esac
    (cd "$d" && "$ONCEVAR" -q audit --fix --write-runtime oncevar-runtime . >/dev/null 2>&1) || true
    after=$(verdict "$d" "$init" per_interpreter_gil)
    log "$pkg ($module): own GIL $pig today (blockers: ${codes:-none}), $after after --fix"
    if [ "$after" != ok ]; then
        log "$pkg: still blocked after --fix by $(blocker_codes "$d" "$init"): not loaded"
        continue
    fi
    # The claim, into the module's slots before their {0, NULL} end, unless
    # it is made already.
    "$PY" - "${paths[@]}" <<'PY' || { fail "$pkg: no slot table to claim in"; continue; }
import re, sys
for path in sys.argv[1:]:
    text = open(path, errors="surrogateescape").read()
    m = re.search(r"PyModuleDef_Slot\s+\w+\s*\[\s*\]\s*=\s*\{(.*?)\{\s*0\s*,\s*(NULL|0)\s*\}", text, re.S)
    if not m:
        continue
    if "Py_mod_multiple_interpreters" not in m.group(1):
        at = text.rindex("{", 0, m.end(2))
        text = text[:at] + "{Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},\n    " + text[at:]
        open(path, "w", errors="surrogateescape").write(text)
    sys.exit(0)
sys.exit(1)
PY
    (cd "$d" && "$ONCEVAR" -q audit . >/dev/null 2>&1) || fail "$pkg: the audit contradicts the claim it allowed"
    compile -I"$d/oncevar-runtime" || { fail "$pkg does not build after --fix: $(head -c 300 "$d/build.log")"; continue; }
    args=(isolated-ok "$module" "$code")
    if [ "$suite" != - ]; then args+=("${suite%%:*}" "${suite#*:}"); fi
    if out=$(drive "$d" "${args[@]}"); then check "$pkg after --fix: $out"; else fail "$pkg after --fix: $out"; fi
done

log "$passed checks passed, $failures failed"
[ "$failures" -eq 0 ]
