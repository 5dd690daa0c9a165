"""Hammer ftcache.token() and ftcache.counter() from many threads in the main interpreter and in
sub-interpreters (scripts/e2e-freethreading.sh).

    python hammer.py THREADS ITERATIONS SUBINTERPRETERS CYCLES

Prints one line per interpreter, `interp NAME threads=T calls=C objects=N
classes=K`, where N and K are the numbers of distinct objects that
interpreter's threads saw from token() and counter() (1 each when the
caches are correct), then `distinct-across-interpreters=K`, then,
on a debug build, `refs-delta=D`: the change of the total reference count
over CYCLES further sub-interpreter create/hammer/destroy cycles, each with
THREADS threads racing on the first call (0 when neither the objects that
lost a race nor the interpreter's cached object leak), and `created=M`.
"""
import sys
import threading

import _interpreters
import ftcache

THREADS, ITERATIONS, SUBS, CYCLES = (int(a) for a in sys.argv[1:5])

HAMMER = r'''
import threading, ftcache
THREADS, ITERATIONS = {threads}, {iterations}
start = threading.Barrier(THREADS)
seen = [None] * THREADS
classes = [None] * THREADS
def work(i):
    ids, cls = set(), set()
    start.wait()
    for _ in range(ITERATIONS):
        ids.add(id(ftcache.token()))
        cls.add(id(ftcache.counter()))
    seen[i] = ids
    classes[i] = cls
threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
for t in threads: t.start()
for t in threads: t.join()
ids = set().union(*seen)
keep = ftcache.token()
result = (len(ids), id(keep), len(set().union(*classes)))
'''


def hammer_here():
    scope = {}
    exec(HAMMER.format(threads=THREADS, iterations=ITERATIONS), scope)
    return scope["result"], scope["keep"]


def report(name, objects, classes):
    print(f"interp {name} threads={THREADS} calls={THREADS * ITERATIONS} "
          f"objects={objects} classes={classes}")


import array
import gc

# Reference counts are kept in an array of C integers, so that recording
# one creates no object that the next count would see.
marks = array.array("q", [0, 0])
debug = hasattr(sys, "gettotalrefcount")
(main_objects, main_id, main_classes), main_keep = hammer_here()
report("main", main_objects, main_classes)

# Sub-interpreters, alive at the same time: each reports through a file.
import os, tempfile
ids = {main_id}
subs = []
tmp = tempfile.mkdtemp()
for n in range(SUBS):
    interp = _interpreters.create()
    out = os.path.join(tmp, f"sub{n}")
    code = HAMMER.format(threads=THREADS, iterations=ITERATIONS) + (
        f"\nwith open({out!r}, 'w') as f:\n    f.write('%d %d %d' % result)\n")
    err = _interpreters.run_string(interp, code)
    if err is not None:
        print(f"sub-interpreter {n} failed: {err}")
        sys.exit(1)
    with open(out) as f:
        objects, obj_id, classes = (int(x) for x in f.read().split())
    report(f"sub{n}", objects, classes)
    ids.add(obj_id)
    subs.append(interp)
print(f"distinct-across-interpreters={len(ids)}")
for interp in subs:
    _interpreters.destroy(interp)

if debug and CYCLES:
    def cycle():
        interp = _interpreters.create()
        err = _interpreters.run_string(
            interp, HAMMER.format(threads=THREADS, iterations=ITERATIONS // 10 or 1))
        _interpreters.destroy(interp)
        if err is not None:
            print(f"cycle failed: {err}")
            sys.exit(1)
    cycle()                     # warm up: caches of the first sub-interpreter
    gc.collect()
    marks[0] = sys.gettotalrefcount()
    for _ in range(CYCLES):
        cycle()
    gc.collect()
    marks[1] = sys.gettotalrefcount()
    print(f"refs-delta={marks[1] - marks[0]} cycles={CYCLES}")
print(f"created={ftcache.created()}")
