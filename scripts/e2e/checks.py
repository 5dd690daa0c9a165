"""Behaviour checks around the rewritten caches, each in its own process
(some of them crash the interpreter), run before and after the rewrite by
scripts/e2e-cpython.sh. Prints one JSON object: {name: {"ok", "rc",
"detail", "before_note", "regression_note"}}, the notes explaining what a
failure means. A check that fails before the rewrite documents a bug of
CPython 3.11.2 itself; one that passes before and fails after is a
regression of the rewrite.

    ./python checks.py
"""
import json
import subprocess
import sys


def in_sub(main, sub):
    """Run `main` in the main interpreter, then `sub` in a sub-interpreter;
    `sub` must set `result` (a str), which is printed."""
    return f"""
import _xxsubinterpreters as interpreters
{main}
interp = interpreters.create()
cid = interpreters.channel_create()
interpreters.run_string(interp, {sub!r} + "\\ninterpreters.channel_send(cid, result)\\n",
                        shared={{"cid": cid}})
print(interpreters.channel_recv(cid))
interpreters.channel_destroy(cid)
interpreters.destroy(interp)
"""


# (name, code, what a failure before the rewrite means, what a regression means)
CHECKS = [
    (
        "pickle an array in a sub-interpreter (arraymodule.c: array_reconstructor)",
        in_sub(
            "import array, pickle; pickle.dumps(array.array('i'), 3)",
            """
import array, pickle
import _xxsubinterpreters as interpreters
try:
    a = array.array('i', [1, 2])
    result = "ok" if pickle.loads(pickle.dumps(a, 3)) == a else "round trip differs"
except Exception as exc:
    result = f"{type(exc).__name__}: {exc}"
""",
        ),
        "the bug itself: __reduce_ex__ returns the main interpreter's "
        "array._array_reconstructor, which pickle rejects",
        "",
    ),
    (
        "run_string error in a nested sub-interpreter raises RunFailedError (_xxsubinterpretersmodule.c: RunFailedError)",
        in_sub(
            "",
            """
import _xxsubinterpreters as interpreters
inner = interpreters.create()
try:
    interpreters.run_string(inner, "raise ValueError('inner')")
except Exception as exc:
    result = "ok" if type(exc).__name__ == "RunFailedError" else f"{type(exc).__name__}: {exc}"
else:
    result = "no exception"
interpreters.destroy(inner)
""",
        ),
        "",
        "RunFailedError is set only by PyInit__xxsubinterpreters, a single-phase init "
        "(m_size -1) that runs once per process: other interpreters get a copy of the "
        "module dict, their slot stays NULL, and PyErr_Format(NULL, ...) sets no exception",
    ),
    (
        "xx in the main interpreter (xxmodule.c: ErrorObject)",
        "import xx\nassert issubclass(xx.error, Exception)\nprint('ok')\n",
        "",
        "xx_exec does Py_DECREF(ErrorObject) after PyModule_AddType: the static holds no "
        "reference of its own (the module does), but an owning slot releases one at exit",
    ),
    (
        "xx in the main and a sub-interpreter (xxmodule.c: ErrorObject)",
        in_sub(
            "import xx",
            "import xx\nimport _xxsubinterpreters as interpreters\nresult = 'ok' if issubclass(xx.error, Exception) else 'bad'\n",
        ),
        "a bug of CPython's xxmodule.c (which 3.11 does not build): every exec "
        "Py_DECREFs the shared ErrorObject, so a second interpreter over-releases it",
        "",
    ),
]


def run(code):
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True,
                              text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return {"ok": False, "rc": None, "detail": "timed out after 300 s"}
    out = proc.stdout.strip().splitlines()
    err = [line for line in proc.stderr.strip().splitlines() if line.strip()]
    ok = proc.returncode == 0 and out[-1:] == ["ok"]
    if ok:
        detail = "ok"
    elif proc.returncode < 0 or proc.returncode == 134:
        fatal = [line for line in err if "Fatal Python error" in line or "Assertion" in line]
        detail = f"crash (signal {-proc.returncode if proc.returncode < 0 else 6}): " + \
            (fatal[0].strip() if fatal else (err[-1].strip() if err else ""))
    elif out and out[-1] != "ok":
        detail = out[-1]
    else:
        detail = f"exit {proc.returncode}: " + (err[-1].strip() if err else "")
    return {"ok": ok, "rc": proc.returncode, "detail": detail[:300]}


results = {}
for name, code, before_note, regression_note in CHECKS:
    results[name] = dict(run(code), before_note=before_note, regression_note=regression_note)
print(json.dumps(results, indent=1))
