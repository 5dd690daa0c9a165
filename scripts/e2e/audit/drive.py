"""e2e-audit's checks, run by the CPython under test (3.13+, `_interpreters`)
with the built modules on sys.path: `drive.py CHECK`. Prints one line saying
what was observed and exits 0 when it is what the check expects, 1 otherwise.

Checks:
  isolated-ok MODULE CODE [DIR PATTERN]
                            imports MODULE in 3 isolated sub-interpreters
                            (own GIL, multi-phase extensions checked), runs
                            CODE in each, destroys them, then runs CODE in
                            the main interpreter (CODE asserts), and then
                            the unittest suite found in DIR (PATTERN).
  refused MODULE            an isolated sub-interpreter refuses to import it.
  shared-static             setonce: a destroyed sub-interpreter empties the
                            main interpreter's static (SystemError; on a
                            debug build, whose check of a function's result
                            is a fatal error, an abort seen from a fork).
  kept-static               setonce after `audit --fix`: a sub-interpreter
                            gets its own object, and destroying it leaves
                            the main interpreter's static as it was.
  shared-cache              lazycache before --fix: a sub-interpreter gets
                            the main interpreter's cached class.
  not-found                 findmodule.myself() finds nothing.
  shared-type               statictype.Point is one object in every
                            interpreter.
"""

import os
import signal
import sys
import tempfile

import _interpreters

# What CPython says of a function that returns NULL with no exception set: a
# SystemError, or a fatal error (abort) on a debug build (Py_DEBUG).
NULL_WITHOUT_EXCEPTION = "returned NULL without setting an exception"


def shared_static_debug(before, err):
    """shared-static on a debug build: setonce.shared() is called in a fork,
    since NULL without an exception aborts there; the fork's abort with
    CPython's message is the SystemError of a release build."""
    import setonce

    with tempfile.TemporaryFile() as log:
        pid = os.fork()
        if pid == 0:
            os.dup2(log.fileno(), 2)
            after = setonce.shared()
            print(f"setonce.shared() still {after!r} (sub-interpreter: {err})")
            os._exit(1)
        _, status = os.waitpid(pid, 0)
        log.seek(0)
        said = log.read().decode(errors="replace")
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT and NULL_WITHOUT_EXCEPTION in said:
        print(
            f"setonce.shared() was {before!r}; after a sub-interpreter's exit (debug build, in a fork): "
            f"fatal error, a function {NULL_WITHOUT_EXCEPTION}"
        )
        return 0
    print(f"setonce.shared() after a sub-interpreter's exit, in a fork: exit status {status} ({said.strip()[-200:]!r})")
    return 1


def run_isolated(code):
    """Runs `code` in a new isolated interpreter; returns the error, or None."""
    iid = _interpreters.create("isolated")
    try:
        err = _interpreters.exec(iid, code)
    finally:
        _interpreters.destroy(iid)
    return None if err is None else f"{err.type.__name__}: {err.msg}"


def main(argv):
    check = argv[0]
    if check == "isolated-ok":
        module, code = argv[1], argv[2]
        for n in range(3):
            err = run_isolated(f"import {module}\n{code}")
            if err is not None:
                print(f"sub-interpreter {n}: {err}")
                return 1
        exec(f"import {module}\n{code}", {})
        suite = ""
        if len(argv) > 4:
            import unittest

            tests = unittest.defaultTestLoader.discover(argv[3], pattern=argv[4], top_level_dir=".")
            result = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(tests)
            if not result.wasSuccessful() or result.testsRun == 0:
                print(f"{module}: its suite after the sub-interpreters: {result}")
                return 1
            suite = f", then its suite ({result.testsRun} tests) passed"
        print(f"{module}: imported and checked in 3 isolated sub-interpreters, then in main{suite}")
        return 0
    if check == "refused":
        module = argv[1]
        err = run_isolated(f"import {module}")
        print(f"{module}: {err or 'imported'}")
        return 0 if err and "subinterpreter" in err else 1
    if check == "shared-static":
        import setonce

        before = setonce.shared()
        err = run_isolated("import setonce")
        if hasattr(sys, "gettotalrefcount"):
            return shared_static_debug(before, err)
        try:
            after = setonce.shared()
        except SystemError as e:
            print(f"setonce.shared() was {before!r}; after a sub-interpreter's exit: SystemError: {e}")
            return 0
        print(f"setonce.shared() still {after!r} (sub-interpreter: {err})")
        return 1
    if check == "kept-static":
        import setonce

        before = setonce.shared()
        err = run_isolated(
            "import setonce\n"
            f"assert id(setonce.shared()) != {id(before)}, 'the main interpreter s object'\n"
        )
        if err is not None:
            print(f"setonce in a sub-interpreter: {err}")
            return 1
        after = setonce.shared()
        print(
            f"setonce.shared() was {before!r}; a sub-interpreter had its own, and after its "
            f"exit main's is {'the same object' if after is before else repr(after)}"
        )
        return 0 if after is before else 1
    if check == "shared-cache":
        import decimal

        import lazycache

        lazycache.decimal_class()
        err = run_isolated(
            "import decimal, lazycache\n"
            "assert lazycache.decimal_class() is not decimal.Decimal, 'own class'\n"
        )
        print(f"lazycache in a sub-interpreter: {err or 'the main interpreter s class'}")
        return 0 if err is None else 1
    if check == "not-found":
        import findmodule

        found = findmodule.myself()
        print(f"findmodule.myself() -> {found!r}")
        return 0 if found is None else 1
    if check == "shared-type":
        import statictype

        iid = _interpreters.create("isolated")
        try:
            err = _interpreters.exec(
                iid,
                "import statictype\n"
                f"assert id(statictype.Point) == {id(statictype.Point)}, 'own type'\n",
            )
        finally:
            _interpreters.destroy(iid)
        print(f"statictype.Point in a sub-interpreter: {err or 'the same object as in main'}")
        return 0 if err is None else 1
    print(f"unknown check {check}")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
