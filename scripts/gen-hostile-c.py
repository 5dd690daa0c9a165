#!/usr/bin/env python3
"""Write one C file of a shape that once made oncevar's time grow faster
than the input, or abort it on a too deep recursion, for
scripts/bench-hostile.sh and the tests.

    scripts/gen-hostile-c.py SHAPE N OUT.c

N is the nesting depth or the count of repetitions, except for `statics`
and `long-line`, where it is megabytes. Every shape holds one site (a
lazily filled static) next to the hostile part, so a run that analyses
the file finds it. The shapes:

    ifs           the site inside N nested `if (x) {`
    braces        the site inside N nested blocks `{`
    parens        the site's value inside N parentheses
    else-if       the site in the last branch of an `else if` chain of N
    comments      N comment lines after the site's `Py_CLEAR` (where
                  tree-sitter's parse is ambiguous)
    line-comments the same with `//` comments
    open-if       N comment lines inside an `if (` left open, after the
                  site's store of a local (its error node's children were
                  each climbed to from the root)
    macro         N function-like macros each calling the one before,
                  the last naming the static
    macro-calls   the site's value inside N nested macro calls `M(`
    declarator    a declarator nested N levels `*(*(...))`, then the site
    binary        a chain `a + a + ...` of N operators beside the site
    logical       the site's guard in a chain `a && a && ...` of N
    assignments   a chain `a = a = ...` of N assignments
    ternary       a chain `a ? a : ...` of N conditionals
    calls         a chain of N calls `f(a)(a)...`
    casts         the site's value behind N casts
    init-parens   the site's value in N parentheses around a local's
                  initialiser, the local then stored
    site-ternary  the site's value in the first arm of N nested
                  conditionals `a ? a ? ... : NULL : NULL`
    call-args     the site's value inside N nested calls of a helper of
                  the unit, each an argument of the next
    macro-args    the site's value inside N nested calls of a function-
                  like macro of the unit (`M(M(...))`)
    locals        a chain of N locals, each initialised from the one
                  before, the last stored
    local-ternaries a local reassigned N times as `t = a ? t : t;`, then
                  stored
    copy-casts    a local copy of the static behind N casts, then tested
    copy-parens   a local copy of the static inside N parentheses
    copy-in-ifs   the site guarded by a test of a local, which is given a
                  copy of the static inside N nested `if (a) {` in the
                  guarded block (the test comes before the copy)
    flag-subscripts the site nested under a test of a static flag read
                  as `!state[0][0]...` with N subscripts
    flag-members  the same with N members `!state.f.f...`
    capsule-casts a table of the unit's init steps handed to the C API
                  behind N casts (`PyCapsule_New((void *)...steps, ...)`)
    table-casts   a method table whose entry names its function behind
                  N casts
    array-dims    an array of object pointers with N dimensions, `= {{...{NULL}...}}`
                  (the NULL initialiser's read, one brace level per dimension)
    state-parens  a process-wide static written through N parentheses
                  `((calls)) = 1;` (the write's climb to its storage)
    state-address its address passed through N parentheses `use(((&calls)))`
    state-casts   its address passed behind N casts `use((void *)&calls)`
    global-parens an object pointer of external linkage assigned through N
                  parentheses `((g)) = PyList_New(0);`
    borrowed-ifs  a borrowed reference stored in the static under N nested
                  `if (a)` without braces (the store's climb to its block)
    local-exits   N locals, each a copy of the one before, each tested as an
                  early exit before the site and around it in N nested `if`
                  (each test follows its local to the values given to it)
    guard-else-if the site's store in the last `else` of an `else if` chain
                  of N inside its guard (the guard's climb through the chain)
    incref-stores N statics filled in one function, each with a borrowed
                  reference through one local and a `Py_INCREF` of it
                  beside the store (each store's questions about the
                  local: where it is declared, its copies, its values)
    nested-fills  N statics, each filled under its NULL test inside the
                  guard of the one before (each fill's climb through the
                  guards around it: the gates and the flag tests)
    hook-casts    an exit hook named behind N casts `atexit((void (*)(void))drop)`
                  (the exit hooks' climb to the registrar)
    structs       N nested struct definitions
    comma         a comma expression of N operands
    references    the site, then the static tested N times in one chain
                  `cache != NULL && cache != NULL && ...` (work per
                  reference of the static, each deep in the chain)
    reference-args the same with N calls `g(cache) + g(cache) + ...`
    reference-line N reads `a = cache != NULL;` on one line (each
                  reference's column)
    pp-ifs        the site inside N nested `#if`s in a function
    pp-decl       the declaration inside N nested `#if`s
    pp-logical    the site under an `#if A && A && ...` of N operators
    pp-elifs      the site in the last branch of N `#elif`s
    statics       N megabytes of file-scope statics, then one site that
                  writes the last
    long-line     N megabytes of `x = 1;` on one line inside a call left
                  open, after the site
    site          the site alone (N is not used): what every run costs
    twins         the site, then N definitions of one function, each
                  calling itself (an edge from each reference to every
                  definition of the name: N×N)
    file-else-if  the site, then a file-scope `static int v (x) {}`
                  followed by N `else if (x) {}`, one in the middle
                  `{{}`: error recovery reads half of them as definitions
                  of `if` (found by the fuzz run's mutation driver: 21 GB
                  at 100,000)
    broken-sites  N lazily filled statics, each in a function of its own,
                  after a stray `}`: a text that does not parse cleanly,
                  whose every safe fix is checked for parsing worse (a
                  whole parse per fix: 1,000 sites 92 s)
"""

import sys

SITE = 'if (cache == NULL) { cache = PyUnicode_FromString("x"); }\n'
HEAD = "#include <Python.h>\nstatic PyObject *cache = NULL;\n"
# A module of the file, for `oncevar audit`'s verdicts on its state.
MODULE = ("static PyMethodDef methods[] = {{\"get\", (PyCFunction)get, METH_NOARGS, NULL},"
          " {NULL}};\nstatic struct PyModuleDef def = {PyModuleDef_HEAD_INIT, \"m\", NULL, 0,"
          " methods};\nPyMODINIT_FUNC PyInit_m(void) { return PyModuleDef_Init(&def); }\n")


def function(body, params="int a"):
    return HEAD + f"static PyObject *get({params}) {{\n" + body + "return cache;\n}\n"


def statics(mb):
    out, size, i = ["#include <Python.h>\n"], 0, 0
    while size < mb * 1024 * 1024:
        line = f"static PyObject *v{i} = NULL;\n"
        out.append(line)
        size += len(line)
        i += 1
    out.append(f"PyObject *get(void) {{\n    if (v{i - 1} == NULL) {{ v{i - 1} = PyList_New(0); }}\n"
               f"    return v{i - 1};\n}}\n")
    return "".join(out)


def long_line(mb):
    count = int(mb * 1024 * 1024 / len("x = 1; "))
    return function(SITE + "f(" + "x = 1; " * count + "\n")


SHAPES = {
    "site": lambda n: function(SITE),
    "ifs": lambda n: function("if (a) {\n" * n + SITE + "}\n" * n),
    "braces": lambda n: function("{" * n + SITE + "}" * n + "\n"),
    "parens": lambda n: function("if (cache == NULL) cache = " + "(" * n + "PyList_New(0)"
                                 + ")" * n + ";\n"),
    "else-if": lambda n: function("if (a == -1) {}\n"
                                  + "".join(f"else if (a == {i}) {{ a++; }}\n" for i in range(n))
                                  + "else " + SITE),
    "comments": lambda n: function(SITE + "Py_CLEAR(cache);\n" + "/* c */\n" * n),
    "line-comments": lambda n: function(SITE + "Py_CLEAR(cache);\n" + "// c\n" * n),
    "open-if": lambda n: function("PyObject *t = PyList_New(0);\nif (cache == NULL) cache = t;\n"
                                  "if (t == N" + "/* c */\n" * n + "return NULL;\n}\n"),
    "macro": lambda n: HEAD + "#define M0(x) (x)\n"
    + "".join(f"#define M{i}(x) M{i - 1}(x)\n" for i in range(1, n))
    + "PyObject *get(void) {\n" + SITE + f"return M{n - 1}(cache);\n}}\n",
    "macro-calls": lambda n: HEAD + "#define M(x) (x)\n"
    + "PyObject *get(void) {\nif (cache == NULL) cache = " + "M(" * n + "PyList_New(0)"
    + ")" * n + ";\nreturn cache;\n}\n",
    "declarator": lambda n: "#include <Python.h>\nstatic PyObject " + "*(" * n + "deep"
    + ")" * n + " = NULL;\n" + function(SITE),
    "binary": lambda n: function(SITE + "a = a" + " + a" * n + ";\n"),
    "logical": lambda n: function("if (cache == NULL && a" + " && a" * n
                                  + ") cache = PyList_New(0);\n"),
    "assignments": lambda n: function(SITE + "a" + " = a" * n + ";\n"),
    "ternary": lambda n: function(SITE + "a = " + "a ? a : " * n + "a;\n"),
    "calls": lambda n: function(SITE + "f" + "(a)" * n + ";\n"),
    "casts": lambda n: function("if (cache == NULL) cache = " + "(PyObject *)" * n
                                + "PyList_New(0);\n"),
    "init-parens": lambda n: function("PyObject *t = " + "(" * n + "PyList_New(0)" + ")" * n
                                      + ";\nif (cache == NULL) cache = t;\n"),
    "site-ternary": lambda n: function("if (cache == NULL) cache = " + "a ? " * n + "PyList_New(0)"
                                       + " : NULL" * n + ";\n"),
    "call-args": lambda n: HEAD + "static PyObject *pass(PyObject *o) { return o; }\n"
    + "PyObject *get(void) {\nif (cache == NULL) cache = " + "pass(" * n + "PyList_New(0)"
    + ")" * n + ";\nreturn cache;\n}\n",
    "macro-args": lambda n: HEAD + "#define NEW(x) PyList_New(x)\n"
    + "PyObject *get(void) {\nif (cache == NULL) cache = " + "NEW(" * n + "0" + ")" * n
    + ";\nreturn cache;\n}\n",
    "locals": lambda n: function("PyObject *t0 = PyList_New(0);\n"
                                 + "".join(f"PyObject *t{i} = t{i - 1};\n" for i in range(1, n))
                                 + f"if (cache == NULL) cache = t{n - 1};\n"),
    "local-ternaries": lambda n: function("PyObject *t = PyList_New(0);\n" + "t = a ? t : t;\n" * n
                                          + "if (cache == NULL) cache = t;\n"),
    "copy-casts": lambda n: function(SITE + "PyObject *t = " + "(PyObject *)" * n + "cache;\n"
                                     "if (t == NULL) return NULL;\n"),
    "copy-parens": lambda n: function(SITE + "PyObject *t = " + "(" * n + "cache" + ")" * n
                                      + ";\nif (t == NULL) return NULL;\n"),
    "copy-in-ifs": lambda n: function("PyObject *t = NULL;\nif (t == NULL) {\n"
                                      "cache = PyList_New(0);\n" + "if (a) {\n" * n
                                      + "t = cache;\n" + "}\n" * n + "}\n"),
    "flag-subscripts": lambda n: HEAD + "static int state;\nPyObject *get(void) {\nif (!state"
    + "[0]" * n + ") {\nstate = 1;\n" + SITE + "}\nreturn cache;\n}\n",
    "flag-members": lambda n: HEAD + "static struct s state;\nPyObject *get(void) {\nif (!state"
    + ".f" * n + ") {\nstate.f = 1;\n" + SITE + "}\nreturn cache;\n}\n",
    "capsule-casts": lambda n: HEAD + "static int step(void) { return 0; }\n"
    "typedef int (*step_fn)(void);\nstatic step_fn steps[] = {step, NULL};\n"
    "PyObject *get(void) {\n" + SITE + "PyCapsule_New(" + "(void *)" * n
    + "steps, \"s\", NULL);\nreturn cache;\n}\n",
    "table-casts": lambda n: HEAD + "static PyObject *meth(PyObject *s, PyObject *u) {\n" + SITE
    + "return cache;\n}\nstatic PyMethodDef methods[] = {{\"m\", " + "(PyCFunction)" * n
    + "meth, METH_NOARGS, NULL}, {NULL}};\n",
    "array-dims": lambda n: "#include <Python.h>\nstatic PyObject *cache"
    + "[1]" * n + " = " + "{" * n + "NULL" + "}" * n + ";\nPyObject *get(void) {\nif (cache"
    + "[0]" * n + " == NULL) {\ncache" + "[0]" * n + " = PyList_New(0);\n}\nreturn cache"
    + "[0]" * n + ";\n}\n" + MODULE,
    "state-parens": lambda n: HEAD + "static long calls;\n" + "PyObject *get(void) {\n" + SITE
    + "(" * n + "calls" + ")" * n + " = 1;\nreturn cache;\n}\n" + MODULE,
    "state-address": lambda n: HEAD + "static long calls;\nvoid use(long *p);\n"
    + "PyObject *get(void) {\n" + SITE + "use(" + "(" * n + "&calls" + ")" * n
    + ");\nreturn cache;\n}\n" + MODULE,
    "state-casts": lambda n: HEAD + "static long calls;\nvoid use(void *p);\n"
    + "PyObject *get(void) {\n" + SITE + "use(" + "(void *)" * n + "&calls);\nreturn cache;\n}\n" + MODULE,
    "global-parens": lambda n: HEAD + "PyObject *global_list;\nPyObject *get(void) {\n" + SITE
    + "(" * n + "global_list" + ")" * n + " = PyList_New(0);\nreturn cache;\n}\n" + MODULE,
    "borrowed-ifs": lambda n: HEAD + "PyObject *get(PyObject *d, int a) {\nif (cache == NULL)\n"
    + "if (a)\n" * n + "cache = PyDict_GetItemString(d, \"x\");\nreturn cache;\n}\n",
    "local-exits": lambda n: function("int v0 = a;\n"
                                      + "".join(f"int v{i} = v{i - 1};\n" for i in range(1, n))
                                      + "".join(f"if (v{i} < 0) return NULL;\n" for i in range(n))
                                      + "if (v0)\n" * n + SITE),
    "guard-else-if": lambda n: function("if (cache == NULL) {\nif (a == -1) {}\n"
                                        + "".join(f"else if (a == {i}) {{}}\n" for i in range(n))
                                        + "else { cache = PyList_New(0); }\n}\n"),
    "incref-stores": lambda n: "#include <Python.h>\n"
    + "".join(f"static PyObject *h{i};\n" for i in range(n))
    + "static PyObject *\nget(PyObject *self, PyObject *d)\n{\nPyObject *tmp;\n"
    + "".join(f"if (h{i} == NULL) {{\ntmp = PyDict_GetItemString(d, \"x\");\nh{i} = tmp;\n"
              "Py_INCREF(tmp);\n}\n" for i in range(n))
    + "return Py_NewRef(h0);\n}\n",
    "nested-fills": lambda n: "#include <Python.h>\n"
    + "".join(f"static PyObject *g{i};\n" for i in range(n))
    + "static PyObject *\nget(PyObject *self, PyObject *unused)\n{\n"
    + "".join(f"if (g{i} == NULL) {{\ng{i} = PyDict_New();\n" for i in range(n))
    + "}\n" * n + "return Py_XNewRef(g0);\n}\n",
    "hook-casts": lambda n: HEAD + "static void drop(void) { Py_CLEAR(cache); }\n"
    + "PyObject *get(void) {\n" + SITE + "atexit(" + "(void (*)(void))" * n + "drop);\n"
    + "return cache;\n}\n",
    "structs": lambda n: "".join(f"struct s{i} {{ " for i in range(n)) + "int x;" + " };" * n
    + "\n" + function(SITE),
    "references": lambda n: function(SITE + "if (cache != NULL" + " && cache != NULL" * n
                                     + ") a = 1;\n"),
    "reference-args": lambda n: function(SITE + "a = g(cache)" + " + g(cache)" * n + ";\n"),
    "reference-line": lambda n: function(SITE + "a = cache != NULL; " * n + "\n"),
    "comma": lambda n: function(SITE + "(a" + ", a" * n + ");\n"),
    "pp-ifs": lambda n: function("#if A\n" * n + SITE + "#endif\n" * n, "void"),
    "pp-decl": lambda n: "#include <Python.h>\n" + "#if A\n" * n
    + "static PyObject *cache = NULL;\nPyObject *get(void) {\n" + SITE
    + "return cache;\n}\n" + "#endif\n" * n,
    "pp-logical": lambda n: function("#if A" + " && A" * n + "\n" + SITE + "#endif\n", "void"),
    "pp-elifs": lambda n: function("#if A == -1\n" + "".join(f"#elif A == {i}\n" for i in range(n))
                                   + "#else\n" + SITE + "#endif\n", "void"),
    "twins": lambda n: function(SITE, "void") + "int f(void) { return f(); }\n" * n,
    "file-else-if": lambda n: function(SITE, "void") + "static int v (x) {}"
    + " else if (x) {}" * (n // 2) + " else if (x) {{}" + " else if (x) {}" * (n - n // 2 - 1)
    + "\n",
    "broken-sites": lambda n: "#include <Python.h>\n"
    + "".join(f"static PyObject *cache{i};\n" for i in range(n)) + "}\n"
    + "".join(f"static PyObject *get{i}(void) {{\n    if (cache{i} == NULL) {{\n"
              f"        cache{i} = PyLong_FromLong({i});\n    }}\n    return cache{i};\n}}\n"
              for i in range(n)),
    "statics": statics,
    "long-line": long_line,
}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in SHAPES:
        sys.exit(__doc__)
    shape, n, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    size = n if shape in ("statics", "long-line") else int(n)
    with open(out, "w") as f:
        f.write(SHAPES[shape](size))


if __name__ == "__main__":
    main()
