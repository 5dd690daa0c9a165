#!/usr/bin/env python3
"""Write one C file of a shape that once made oncevar's time grow faster
than the input, for scripts/bench-hostile.sh.

    scripts/gen-hostile-c.py ifs N OUT.c       a site inside N nested `if`s
    scripts/gen-hostile-c.py pp-ifs N OUT.c    a site inside N nested `#if`s in a function
    scripts/gen-hostile-c.py pp-decl N OUT.c   the declaration inside N nested `#if`s
    scripts/gen-hostile-c.py statics MB OUT.c  MB megabytes of file-scope statics,
                                               then one site that writes the last
"""

import sys

SITE = 'if (cache == NULL) { cache = PyUnicode_FromString("x"); }\n'


def ifs(n):
    return (
        "#include <Python.h>\nstatic PyObject *cache = NULL;\nPyObject *get(int x) {\n"
        + "if (x) {\n" * n + SITE + "}\n" * n + "return cache;\n}\n"
    )


def pp_ifs(n):
    return (
        "#include <Python.h>\nstatic PyObject *cache = NULL;\nPyObject *get(void) {\n"
        + "#if A\n" * n + SITE + "#endif\n" * n + "return cache;\n}\n"
    )


def pp_decl(n):
    return (
        "#include <Python.h>\n" + "#if A\n" * n
        + "static PyObject *cache = NULL;\nPyObject *get(void) {\n" + SITE
        + "return cache;\n}\n" + "#endif\n" * n
    )


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


def main():
    kind, n, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    make = {"ifs": ifs, "pp-ifs": pp_ifs, "pp-decl": pp_decl, "statics": statics}[kind]
    with open(out, "w") as f:
        f.write(make(n if kind == "statics" else int(n)))


if __name__ == "__main__":
    main()
