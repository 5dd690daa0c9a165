"""Import and exercise every module whose code oncevar rewrites in CPython
3.11.2, first in the main interpreter and then in a sub-interpreter, so that
every rewritten cache that this platform compiles is filled (xxmodule.c,
which CPython does not build, is covered by checks.py instead). A failure in
the main interpreter is an error (exit status 1); one in the sub-interpreter
is printed, as it may be the very bug (an object of the main interpreter
cached in a static).

Run by scripts/e2e-cpython.sh as `./python -X showrefcount exercise.py`: the
`[N refs, M blocks]` line that a debug build prints at exit is what the
script compares before and after the rewrite. Prints one line per
interpreter.
"""
import sys

CODE = r'''
import sys, traceback
done = []
failed = []

def section(name):
    def run(func):
        try:
            if func() is not False:
                done.append(name)
        except Exception as exc:
            failed.append(f"{name} FAILED: {type(exc).__name__}: {exc}")
    return run

@section("array")  # Modules/arraymodule.c: array_reconstructor (__reduce_ex__)
def _():
    import array, pickle
    a = array.array('i', [1, 2, 3])
    assert pickle.loads(pickle.dumps(a, 3)) == a

@section("_datetime")  # Modules/_datetimemodule.c: module (strptime's _strptime)
def _():
    import datetime
    d = datetime.datetime.strptime("2023-02-08 12:34", "%Y-%m-%d %H:%M")
    assert d.minute == 34

@section("_zoneinfo")  # Modules/_zoneinfo.c: TIMEDELTA_CACHE, ZONEINFO_WEAK_CACHE
def _():
    import datetime, zoneinfo
    tz = zoneinfo.ZoneInfo("Europe/Paris")
    assert datetime.datetime(2023, 7, 1, tzinfo=tz).utcoffset() == datetime.timedelta(hours=2)
    assert zoneinfo.ZoneInfo("Europe/Paris") is tz
    zoneinfo.ZoneInfo.clear_cache()

@section("_ctypes")  # Modules/_ctypes: suffix (swapped types, at import),
def _():             # cache (array types), error_object_name (use_errno)
    import ctypes
    IntArray4 = ctypes.c_int * 4
    assert (ctypes.c_int * 4) is IntArray4
    class Big(ctypes.BigEndianStructure):
        _fields_ = [("x", ctypes.c_int32), ("y", ctypes.c_uint16 * 2)]
    assert Big(x=1).x == 1
    ctypes.set_errno(3)
    assert ctypes.get_errno() == 3

summary = ", ".join(done) + "".join("; " + f for f in failed)
'''

exec(CODE)
print("main interpreter:", summary)
if failed:
    sys.exit(1)
if "--main-only" in sys.argv:
    sys.exit(0)

# Modules/_xxsubinterpretersmodule.c: RunFailedError, in both directions
import _xxsubinterpreters as interpreters

interp = interpreters.create()
cid = interpreters.channel_create()
interpreters.run_string(interp, CODE + r'''
import _xxsubinterpreters as interpreters
interpreters.channel_send(cid, "sub-interpreter: " + summary)
''', shared={"cid": cid})
print(interpreters.channel_recv(cid))
try:
    interpreters.run_string(interp, "raise ValueError('expected')")
except interpreters.RunFailedError as exc:
    assert "ValueError" in str(exc) and "expected" in str(exc), exc
else:
    sys.exit("run_string did not raise RunFailedError")
interpreters.channel_destroy(cid)
interpreters.destroy(interp)
print("_xxsubinterpreters: ok")
