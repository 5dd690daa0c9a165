#!/usr/bin/env python3
"""Generate src/fix/refcounts/table.rs: what CPython's C API returns, per version.

Run by hand, not by the build, after `scripts/fetch-corpus.sh --refdata`:

    scripts/gen-refcounts.py            # writes src/fix/refcounts/table.rs
    scripts/gen-refcounts.py --check    # exit 1 if the committed table differs

Input, per minor version (.cache/corpus/cpython-refdata/<X.Y>/, from a Debian
source package; SOURCE names the package, version and checksum):

* Doc/data/refcounts.dat, CPython's own reference data: the first line of
  each function's block gives its return, `+1` (a new reference), `0` (a
  borrowed one) or `null` (always NULL); a blank field means the return is
  no object (and the function is left out).
* Include/ (not Include/internal/): the macros and static inline functions
  of the public headers, and the objects they declare (`PyAPI_DATA(PyObject
  *) PyExc_ValueError;`). A macro or a one-line static inline function
  counts as what it expands to, when that is one of these shapes (outer
  parentheses, casts and CPython's cast helpers such as `_PyObject_CAST(x)`
  taken off): `&name` (the address of a static object: borrowed), a member
  read or an element of one (`op->ob_item[i]`, `PyDateTimeAPI->TimeZone_UTC`:
  borrowed, the struct holds the reference), or one call or one name, which
  is then looked up in turn. Any other expansion is unknown.
* Doc/c-api/*.rst, for the few functions refcounts.dat does not list: each
  entry of SUPPLEMENT quotes the sentence of the C API documentation that
  says what the function returns, and is used only for a version whose
  documentation has that sentence in the function's entry.

Output: one row per name that some version resolves, with one letter per
version of VERSIONS: N new, B borrowed, Z always NULL, - absent, ? defined
but unknown (an expansion of another shape, or definitions that disagree,
such as two branches of `#ifdef Py_LIMITED_API`). Rows are sorted by name
(the Rust side searches them by bisection).

Versions without a Debian source: the runtime supports 3.8 to 3.15; no
Debian release shipped 3.8, 3.10 or 3.12, and the pool's python3.14 and
python3.15 files are not reachable from this project's machines (see
fetch-corpus.sh). The Rust side decides by the versions with data: every
version that lists a name must agree, else its ownership is unknown. A name
that 3.9 and 3.11 agree on is taken to agree in 3.10 (and likewise 3.12
between 3.11 and 3.13); 3.8 is taken to be as 3.9, and 3.14 and 3.15 as
3.13, so a function they added is not in the table at all, which makes it
unknown. The table's header says this too.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, ".cache", "corpus", "cpython-refdata")
OUT = os.path.join(ROOT, "src", "fix", "refcounts", "table.rs")
VERSIONS = ["3.9", "3.11", "3.13"]
UNCOVERED = [
    ("3.8", "no Debian release shipped it: taken to be as 3.9"),
    ("3.10", "no Debian release shipped it: covered where 3.9 and 3.11 agree"),
    ("3.12", "no Debian release shipped it: covered where 3.11 and 3.13 agree"),
    ("3.14", "the Debian pool's python3.14 files are not reachable from here: taken to be as 3.13"),
    ("3.15", "the Debian pool's python3.15 files are not reachable from here: taken to be as 3.13"),
]

# Functions refcounts.dat leaves out, with the sentence of their entry in
# Doc/c-api/<file> that says what they return.
SUPPLEMENT = [
    ("Py_GetConstantBorrowed", "B", "object.rst", "but return a borrowed reference"),
    ("Py_GetConstant", "N", "object.rst", "Get a strong reference to a constant"),
    ("Py_TYPE", "B", "structures.rst", "Return a borrowed reference"),
]

# CPython's own cast helpers: `_PyObject_CAST(x)` is `x`.
CAST_HELPER = re.compile(r"^(?:_Py\w*_CAST(?:_CONST)?|_Py_CAST|_Py_STATIC_CAST|_Py_CAST_CONST)$")
IDENT = r"[A-Za-z_]\w*"


def read_refcounts(version):
    """{function: 'N' | 'B' | 'Z'} for the returns refcounts.dat gives, the
    set of functions it lists as returning no object (`int`, `void`,
    `Py_ssize_t`, `char*`: a type that names no object and no count), and
    {(function, position)} for the `PyObject**` parameters it marks `+1`
    without doubt (no `???`): the function stores a new reference through
    them (`PyUnicode_InternInPlace(&s)`)."""
    returns = {}
    scalars = set()
    out_new = set()
    positions = {}
    seen = set()
    path = os.path.join(DATA, version, "Doc", "data", "refcounts.dat")
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split(":")
            if len(parts) < 4:
                continue
            name, count = parts[0].strip(), parts[3].strip()
            if name in seen:
                if parts[2].strip() and name in positions:
                    at = positions[name]
                    positions[name] = at + 1
                    doubt = len(parts) > 4 and "?" in parts[4]
                    if parts[1].strip() == "PyObject**" and count == "+1" and not doubt:
                        out_new.add((name, at))
                continue
            seen.add(name)
            if parts[2].strip():
                continue  # a block that starts with a parameter: no return line
            positions[name] = 0
            letter = {"+1": "N", "0": "B", "null": "Z"}.get(count)
            if letter:
                returns[name] = letter
            elif not count and "Object" not in parts[1]:
                scalars.add(name)
    return returns, scalars, out_new


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def logical_lines(text):
    return text.replace("\\\r\n", " ").replace("\\\n", " ").split("\n")


def matching(text, start):
    """Index of the bracket closing the one at `start`, or -1."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = []
    for i in range(start, len(text)):
        c = text[i]
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if not stack or stack.pop() != c:
                return -1
            if not stack:
                return i
    return -1


def split_arguments(text):
    """Top-level comma-separated parts of an argument list's inside."""
    parts, depth, current = [], 0, ""
    for c in text:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += c
    parts.append(current)
    return [p.strip() for p in parts]


TYPE_WORDS = re.compile(r"^(?:const\s+|volatile\s+|struct\s+|unsigned\s+)*" + IDENT + r"(?:\s*\*|\s+const)*\s*\*?$")


def simplify(expr):
    """The expression with outer parentheses, casts and cast helpers taken off."""
    expr = expr.strip()
    while True:
        before = expr
        if expr.startswith("(") and matching(expr, 0) == len(expr) - 1:
            expr = expr[1:-1].strip()
        elif expr.startswith("("):
            end = matching(expr, 0)
            inside = expr[1:end].strip() if end > 0 else ""
            if end > 0 and "*" in inside and TYPE_WORDS.match(inside):
                expr = expr[end + 1 :].strip()
        else:
            m = re.match(r"^(" + IDENT + r")\s*\(", expr)
            if m and CAST_HELPER.match(m.group(1)):
                open_at = expr.index("(", m.end(1))
                end = matching(expr, open_at)
                if end == len(expr) - 1:
                    expr = split_arguments(expr[open_at + 1 : end])[-1]
        if expr == before:
            return expr


def shape(expr):
    """('B', None) for a borrowed form, ('alias', name) for one call or name,
    None for anything else."""
    expr = simplify(expr)
    if re.fullmatch(r"&\s*" + IDENT, expr):
        return ("B", None)
    m = re.fullmatch(IDENT, expr)
    if m:
        return ("alias", expr)
    m = re.match(r"^(" + IDENT + r")\s*\(", expr)
    if m:
        open_at = expr.index("(", m.end(1))
        end = matching(expr, open_at)
        if end == len(expr) - 1:
            return ("alias", m.group(1))
        if end > 0:
            rest = expr[end + 1 :]
            return ("B", None) if is_member_chain(rest) else None
        return None
    # A postfix chain: a primary, then ->member, .member or [index].
    primary = re.match(r"^(?:" + IDENT + r"|\()", expr)
    if not primary:
        return None
    if expr.startswith("("):
        end = matching(expr, 0)
        if end < 0:
            return None
        rest = expr[end + 1 :]
    else:
        rest = expr[primary.end() :]
    return ("B", None) if is_member_chain(rest) else None


def is_member_chain(rest):
    """Whether `rest` is one or more ->m / .m / [i], with a member among them."""
    rest = rest.strip()
    member = False
    if not rest:
        return False
    while rest:
        m = re.match(r"^(?:->|\.)\s*" + IDENT, rest)
        if m:
            member = True
            rest = rest[m.end() :].strip()
            continue
        if rest.startswith("["):
            end = matching(rest, 0)
            if end < 0:
                return False
            rest = rest[end + 1 :].strip()
            continue
        return False
    return member


def read_headers(version):
    """(macros, inline, data): the expansions of each macro (a list: one per
    definition), the returned expression of each one-statement static
    inline function, and the object globals the headers declare."""
    macros, inline, data = {}, {}, set()
    base = os.path.join(DATA, version, "Include")
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "internal")
        for name in sorted(files):
            if not name.endswith(".h"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                text = strip_comments(f.read())
            for line in logical_lines(text):
                m = re.match(r"^\s*#\s*define\s+(" + IDENT + r")(\([^)]*\))?\s*(.*)$", line)
                if m:
                    macros.setdefault(m.group(1), []).append(m.group(3).strip())
            flat = " ".join(logical_lines(text))
            for m in re.finditer(
                r"static\s+inline\s+[^;{}()]*?\b(" + IDENT + r")\s*\([^;{}]*\)\s*\{\s*return\s+([^;{}]*);\s*\}",
                flat,
            ):
                inline.setdefault(m.group(1), []).append(m.group(2))
            for m in re.finditer(r"PyAPI_DATA\(\s*PyObject\s*\*\s*\)\s*(" + IDENT + r")\s*;", flat):
                data.add(m.group(1))
    return macros, inline, data


def documented(version, name, rst, sentence):
    """Whether Doc/c-api/<rst> of `version` documents `name` with `sentence`
    in its entry (the text from its `.. c:function::` line to the next)."""
    path = os.path.join(DATA, version, "Doc", "c-api", rst)
    if not os.path.exists(path):
        return False
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"\.\. c:(?:function|macro):: [^\n]*\b" + re.escape(name) + r"\s*\(", text)
    if not m:
        return False
    following = text[m.end() :]
    nxt = re.search(r"\n\.\. c:", following)
    entry = following[: nxt.start()] if nxt else following
    return sentence in " ".join(entry.split())


class Version:
    def __init__(self, version):
        self.version = version
        self.refcounts, self.scalars, self.out_new = read_refcounts(version)
        self.macros, self.inline, self.data = read_headers(version)
        self.supplement = {
            name: letter
            for name, letter, rst, sentence in SUPPLEMENT
            if documented(version, name, rst, sentence)
        }

    def resolve(self, name, depth=0, through_macro=False):
        """'N', 'B', 'Z', '?' (defined, unknown) or '-' (not defined)."""
        if depth > 8:
            return "?"
        if name in self.refcounts:
            return self.refcounts[name]
        if name in self.supplement:
            return self.supplement[name]
        letters = set()
        for body in self.macros.get(name, []) if not through_macro else []:
            found = shape(body)
            if found is None:
                letters.add("?")
            elif found[0] == "B":
                letters.add("B")
            elif found[1] == name:
                # `#define Py_TYPE(ob) Py_TYPE(_PyObject_CAST(ob))`: the
                # static inline function of the same name.
                letters.add(self.resolve(name, depth + 1, through_macro=True))
            else:
                letters.add(self.resolve(found[1], depth + 1))
        for body in self.inline.get(name, []):
            found = shape(body)
            if found is None:
                letters.add("?")
            elif found[0] == "B":
                letters.add("B")
            elif found[1] != name:
                letters.add(self.resolve(found[1], depth + 1))
        if name in self.data:
            letters.add("B")
        letters.discard("-")
        if not letters:
            return "-"
        return letters.pop() if len(letters) == 1 else "?"


def header_names(version):
    """The names a quoted include reaches CPython's headers by: paths under
    Include/ and under Include/internal/ (CPython's own build puts both on
    its include path)."""
    names = set()
    base = os.path.join(DATA, version, "Include")
    for folder, dirs, files in os.walk(base):
        for name in files:
            if not name.endswith(".h"):
                continue
            rel = os.path.relpath(os.path.join(folder, name), base).replace(os.sep, "/")
            names.add(rel)
            if rel.startswith("internal/"):
                names.add(rel[len("internal/"):])
    return names


def source_line(version):
    with open(os.path.join(DATA, version, "SOURCE"), encoding="utf-8") as f:
        minor, suite, package, debver, tarball, sha = f.read().split()
    return f"{minor}: Debian {suite} {package} {debver}, {tarball}, sha256 {sha}"


def generate():
    missing = [v for v in VERSIONS if not os.path.exists(os.path.join(DATA, v, "SOURCE"))]
    if missing:
        sys.exit(f"no reference data for {', '.join(missing)}: run scripts/fetch-corpus.sh --refdata")
    versions = [Version(v) for v in VERSIONS]
    names = set()
    for v in versions:
        names |= set(v.refcounts) | set(v.supplement) | set(v.macros) | set(v.inline) | v.data
    rows = []
    for name in sorted(names):
        letters = "".join(v.resolve(name) for v in versions)
        if any(c in "NBZ" for c in letters):
            rows.append((name, letters))
    out = []
    out.append("//! GENERATED by scripts/gen-refcounts.py: do not edit. What CPython's C API")
    out.append("//! returns, per version, from CPython's own reference data")
    out.append("//! (Doc/data/refcounts.dat), the macros, static inline functions and object")
    out.append("//! globals of its public headers (Include/), and, for the few functions")
    out.append("//! refcounts.dat leaves out, the sentence of their C API documentation")
    out.append("//! (Doc/c-api/) that says what they return. Sources:")
    out.append("//!")
    for v in VERSIONS:
        out.append(f"//! * {source_line(v)}")
    out.append("//!")
    out.append("//! Not covered by a source of their own (the runtime supports 3.8 to 3.15):")
    out.append("//!")
    for v, why in UNCOVERED:
        out.append(f"//! * {v}: {why}.")
    out.append("")
    out.append("/// The versions the letters of [`RETURNS`] stand for, in order.")
    out.append("pub const VERSIONS: [&str; %d] = [%s];" % (len(VERSIONS), ", ".join(f'"{v}"' for v in VERSIONS)))
    out.append("")
    headers = set()
    for v in VERSIONS:
        headers |= header_names(v)
    # Written by configure beside Python.h when CPython is built or
    # installed, so absent from the source's Include/.
    headers.add("pyconfig.h")
    out.append("/// The names a quoted `#include` reaches CPython's own headers by (paths")
    out.append("/// under `Include/` and `Include/internal/` of any version above, and the")
    out.append("/// `pyconfig.h` that configure writes beside `Python.h`), sorted: the C API,")
    out.append("/// whose objects and macros the table below covers.")
    static_array(out, "HEADERS", "&str", [f'"{h}"' for h in sorted(headers)])
    out.append("")
    out.append("/// Each name some version resolves (sorted, for bisection), with one letter")
    out.append("/// per entry of [`VERSIONS`]: `N` a new reference, `B` a borrowed one, `Z`")
    out.append("/// always NULL, `-` not defined, `?` defined with an ownership not known.")
    static_array(out, "RETURNS", "(&str, &str)", [f'("{n}", "{l}")' for n, l in rows])
    out.append("")
    # A name some version lists with an object return is not a scalar.
    scalars = sorted(set().union(*(v.scalars for v in versions)) - {n for n, _ in rows})
    out.append("/// The functions refcounts.dat lists, in some version above, as returning no")
    out.append("/// object (`int`, `void`, `Py_ssize_t`, `char*`), sorted for bisection: a")
    out.append("/// call of one hands over no reference, and no version marks one as always")
    out.append("/// failing (only the object returns of [`RETURNS`] carry `Z`).")
    static_array(out, "SCALARS", "&str", [f'"{n}"' for n in scalars])
    out.append("")
    # Only where every version that lists the function agrees.
    listed = {}
    for v in versions:
        for name in v.refcounts.keys() | v.scalars:
            listed.setdefault(name, []).append(v)
    out_new = sorted(
        (name, at)
        for name, at in set().union(*(v.out_new for v in versions))
        if all((name, at) in v.out_new for v in listed.get(name, []))
    )
    out.append("/// The `PyObject **` parameters (function, 0-based position) through which")
    out.append("/// refcounts.dat says, without doubt and in every version above that lists")
    out.append("/// the function, that it stores a new reference (`+1`): the variable whose")
    out.append("/// address is given holds a strong reference afterwards, sorted by name.")
    static_array(out, "OUT_NEW", "(&str, usize)", [f'("{n}", {at})' for n, at in out_new])
    return "\n".join(out) + "\n"


def static_array(out, name, element, items):
    """Appends to `out` (a list of lines) a Rust `pub static NAME: [ELEMENT; N]`
    holding `items` (Rust expressions, one per line, in the order given)."""
    out.append("pub static %s: [%s; %d] = [" % (name, element, len(items)))
    out.extend(f"    {item}," for item in items)
    out.append("];")


def main():
    text = generate()
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit(f"{os.path.relpath(OUT, ROOT)} differs from what scripts/gen-refcounts.py generates")
        print(f"{os.path.relpath(OUT, ROOT)} is up to date")
        return
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
