"""Run one built extension module in the main interpreter and then in
sub-interpreters created and destroyed in a loop; print one JSON object.

    python3.11-dbg subinterp.py DIR MODULE [LOOPS [KIND]]

DIR holds MODULE's shared library. Every interpreter imports the module and
probes each of its public functions twice with the first arguments it takes
of (), (None,), (0,), ("x",): what it returns (the type's name, whether the
second call returned the very object of the first, which module attribute
that object is) or raises (the exception type's name, which module attribute
that type is). A sub-interpreter also says, for each object it got, whether
it is the very object the main interpreter got (the main interpreter keeps
its objects alive meanwhile, so equal ids mean one object): that is a static
shared across interpreters, the bug oncevar's fix removes. An exception's
type counts only when it is a heap type: CPython's static types (ValueError)
are one object in every interpreter by design.

The total reference count (sys.gettotalrefcount, a debug build's) is read in
the main interpreter before the loop and after it; what the loop leaves is
`refs_delta`. With more than one public function, the loop is run again
for each function alone (the module imported, only that function probed),
and what each leaves is `refs_by_function` (null without a debug build or
with one function): scripts/e2e/judge.py compares those, so that one
function's over-release is not hidden by what another leaves. Interpreters: _xxsubinterpreters (3.8-3.12) or _interpreters
(3.13+). KIND is `legacy` (the default: the configuration sub-interpreters
had before 3.12, sharing the main interpreter's GIL; single-phase modules
load only there) or `isolated` (3.12+: each with its own GIL, and only
modules that declare Py_MOD_PER_INTERPRETER_GIL_SUPPORTED load; the
others fail to import there, which `errors` reports).
"""
import gc
import importlib
import json
import os
import sys
import tempfile

PROBE = r'''
import importlib, json, sys
sys.path.insert(0, DIR)
ARGS = [(), (None,), (0,), ("x",)]

def attribute_of(module, obj):
    for name in sorted(vars(module)):
        if not name.startswith("__") and getattr(module, name) is obj:
            return name
    return None

def probe():
    module = importlib.import_module(MODULE)
    outcomes = {}
    ids = {}
    for name in sorted(vars(module)):
        func = getattr(module, name)
        if name.startswith("_") or type(func).__name__ != "builtin_function_or_method":
            continue
        if ONLY is not None and name != ONLY:
            continue
        for args in ARGS:
            results = []
            for _ in range(2):
                try:
                    results.append(("ret", func(*args)))
                except TypeError as exc:
                    results.append(("typeerror", exc))
                except Exception as exc:
                    results.append(("raise", exc))
            if results[0][0] == "typeerror" and args != ARGS[-1]:
                continue
            kind, first = results[0]
            _, second = results[1]
            if kind == "ret":
                outcomes[name] = {
                    "args": repr(args),
                    "returns": type(first).__name__,
                    "same_twice": first is second,
                    "is_attribute": attribute_of(module, first),
                }
                ids[name] = id(first)
                KEEP.append(first)
            else:
                outcomes[name] = {
                    "args": repr(args),
                    "raises": type(first).__name__,
                    "same_type_twice": type(first) is type(second),
                    "is_attribute": attribute_of(module, type(first)),
                }
                # A static type (every builtin exception) is one object in
                # all interpreters by CPython's design, not a static of the
                # module: only a heap type (Py_TPFLAGS_HEAPTYPE, 1 << 9),
                # which a module creates, can be shared by mistake.
                if type(first).__flags__ & (1 << 9):
                    ids[name] = id(type(first))
                KEEP.append(type(first))
            break
    return outcomes, ids

KEEP = []
ONLY = globals().get("ONLY")
'''

SUB = PROBE + r'''
outcomes, ids = probe()
with open(OUT, "w") as f:
    json.dump({"outcomes": outcomes, "ids": ids}, f)
'''


def interpreters_module(kind):
    """The interpreters module and its create() and run() for KIND."""
    isolated = kind == "isolated"
    if isolated and sys.version_info < (3, 12):
        raise SystemExit("isolated sub-interpreters (an own GIL) need CPython 3.12+")
    try:
        import _interpreters as interpreters

        def create():
            try:
                return interpreters.create(kind)
            except TypeError:
                if isolated:
                    raise
                return interpreters.create()

        def run(interp, code):
            error = interpreters.run_string(interp, code)
            if error is not None:
                raise RuntimeError(f"{error.type.__name__}: {error.msg}")
    except ImportError:
        import _xxsubinterpreters as interpreters

        def create():
            return interpreters.create(isolated=isolated) if sys.version_info >= (3, 12) \
                else interpreters.create()

        def run(interp, code):
            interpreters.run_string(interp, code)
    return interpreters, create, run


def main():
    directory, module = sys.argv[1], sys.argv[2]
    loops = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    kind = sys.argv[4] if len(sys.argv) > 4 else "legacy"
    if kind not in ("legacy", "isolated"):
        raise SystemExit(f"unknown kind of sub-interpreter: {kind} (legacy or isolated)")
    interpreters, create, run = interpreters_module(kind)
    scope = {"DIR": directory, "MODULE": module}
    exec(PROBE, scope)
    main_outcomes, main_ids = scope["probe"]()
    total = getattr(sys, "gettotalrefcount", None)

    def refs():
        # The type attribute cache holds a strong reference to each name it
        # caches, in a slot chosen by the type's version and the name's
        # hash, so what it holds varies from run to run; garbage in cycles
        # waits for the collector. Both are emptied first: otherwise one
        # module gave 74 to 80 on 3.14's debug build, run to run.
        if total is None:
            return None
        clear = getattr(sys, "_clear_internal_caches", None) or sys._clear_type_cache
        clear()
        gc.collect()
        return total()

    def cycle(only):
        """Create, use and destroy the interpreters once, probing every
        public function or only ONLY: (outcomes, errors, refs left)."""
        subs = []
        errors = []
        # One warm-up interpreter: the first one fills process-wide caches
        # of CPython itself (interned strings, type caches) that no later
        # one adds.
        rounds = [None] + list(range(loops))
        before = None
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.json")
            for i in rounds:
                if i == 0:
                    before = refs()
                interp = create()
                code = (f"DIR = {directory!r}\nMODULE = {module!r}\nOUT = {out!r}\n"
                        f"ONLY = {only!r}\n" + SUB)
                try:
                    run(interp, code)
                    with open(out) as f:
                        sub = json.load(f)
                    os.unlink(out)
                    if i is not None:
                        subs.append(sub)
                except Exception as exc:  # the module failed in this interpreter
                    errors.append(f"interpreter {i}: {type(exc).__name__}: {exc}")
                    if "does not support loading in subinterpreters" in str(exc):
                        # Decided by the module's slots, the same in every
                        # interpreter of this kind: no need to go on.
                        interpreters.destroy(interp)
                        break
                interpreters.destroy(interp)
        after = refs()
        return subs, errors, None if before is None or after is None else after - before

    subs, errors, refs_delta = cycle(None)
    # With a debug build and more than one function, each function is also
    # run alone (the same number of interpreters), so that what one leaves
    # or over-releases is not offset by another's (scripts/e2e/judge.py).
    refs_by_function = None
    if total is not None and len(main_outcomes) > 1 and subs:
        refs_by_function = {name: cycle(name)[2] for name in sorted(main_outcomes)}
    shared = sorted(
        {name for sub in subs for name, i in sub["ids"].items() if main_ids.get(name) == i}
    )
    differing = sorted(
        {
            name
            for sub in subs
            for name, outcome in sub["outcomes"].items()
            if outcome != main_outcomes.get(name)
        }
        | {name for sub in subs for name in main_outcomes if name not in sub["outcomes"]}
    )
    print(
        json.dumps(
            {
                "module": module,
                "kind": kind,
                "functions": main_outcomes,
                "interpreters": len(subs),
                "errors": errors[:3],
                "shared_with_main": shared,
                "differs_from_main": differing,
                "refs_delta": refs_delta,
                "refs_by_function": refs_by_function,
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main()
