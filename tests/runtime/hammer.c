/*
 * The first access of an imported class from many threads at once, in
 * fresh sub-interpreters: NTHREADS threads attach to a new interpreter and,
 * all at once, run what `oncevar check --fix` writes for a lazy import in
 * a module that runs without the GIL:
 *
 *     v = Py_ONCEVAR_GET(cls);
 *     if (v == NULL) {
 *         mod = PyImport_ImportModule(MODULE);
 *         v = Py_ONCEVAR_SET(cls, PyObject_GetAttrString(mod, CLASS));
 *         Py_DECREF(mod);
 *     }
 *
 * Every racer that lost hands in the winner's very object (the import
 * returns the same class to all of them) with a reference of its own.
 * Checks, per interpreter: every thread sees the same class; with a GIL,
 * the class's reference count equals the one a single SET leaves; on debug
 * builds (sys.gettotalrefcount), the total reference count is the same
 * after every further interpreter as after the first one: a loser's
 * reference kept in the slot would keep the class, and through it the
 * whole module, alive past its interpreter.  The module is imported by no
 * interpreter at start-up (`collections` is, on some installations), and
 * each interpreter switches threads every microsecond,
 * so the import (Python code) lets the other racers find the slot empty;
 * the test fails if no race happened at all.
 */
#include "testutil.h"
#include "oncevar.h"
#include <pthread.h>
#include <sched.h>
#include <time.h>

#if PY_VERSION_HEX < 0x03090000
#  define PyThreadState_GetInterpreter(ts) ((ts)->interp)
#endif

/* A pure-Python module that no interpreter imports at start-up, and one of
 * its classes. */
#define MODULE "dataclasses"
#define CLASS "Field"
#define NTHREADS 16
#define CYCLES 7

Py_ONCEVAR_DECLARE(PyObject *, cls);
static int entered;             /* atomic: accesses that found the slot empty */

/* The class, or NULL with an exception set. */
static PyObject *
get_class(void)
{
    PyObject *v = Py_ONCEVAR_GET(cls);
    if (v == NULL) {
        PyObject *mod;
        __atomic_fetch_add(&entered, 1, __ATOMIC_RELAXED);
        mod = PyImport_ImportModule(MODULE);
        if (mod == NULL) {
            return NULL;
        }
        v = Py_ONCEVAR_SET(cls, PyObject_GetAttrString(mod, CLASS));
        Py_DECREF(mod);
    }
    return v;
}

static int max_racing;          /* most racers that found it empty at once */
static PyInterpreterState *interp;
static PyObject *seen[NTHREADS];
static int ready;               /* atomic */

static void *
racer(void *p)
{
    int t = (int)(intptr_t)p;
    PyThreadState *ts = PyThreadState_New(interp);
    CHECK(ts != NULL);
    __atomic_fetch_add(&ready, 1, __ATOMIC_ACQ_REL);
    /* With a GIL, every racer waits for it here, and the first one to get
     * it is made to hand it over within a microsecond. */
    PyEval_RestoreThread(ts);
    seen[t] = get_class();
    CHECK(seen[t] != NULL);
    PyThreadState_Clear(ts);
    PyThreadState_DeleteCurrent();
    return NULL;
}

static Py_ssize_t
total_refcount(void)
{
    PyObject *get_total = PySys_GetObject("gettotalrefcount");
    PyObject *r;
    Py_ssize_t v;
    if (get_total == NULL) {
        return -1;
    }
    r = PyObject_CallObject(get_total, NULL);
    CHECK(r != NULL);
    v = PyLong_AsSsize_t(r);
    Py_DECREF(r);
    return v;
}

/* One fresh sub-interpreter whose first access is raced by `threads`
 * threads; back in the main interpreter afterwards.  Returns the class's
 * reference count just before the interpreter ends. */
static Py_ssize_t
cycle(int threads)
{
    PyThreadState *main_ts = PyThreadState_Get(), *sub;
    pthread_t th[NTHREADS];
    Py_ssize_t refs;
    int t, racing;
    struct timespec nap;

    sub = new_sub_interpreter();
    interp = PyThreadState_GetInterpreter(sub);
    CHECK(PyRun_SimpleString("import sys; sys.setswitchinterval(1e-6)") == 0);
    CHECK(Py_ONCEVAR_GET(cls) == NULL);
    __atomic_store_n(&ready, 0, __ATOMIC_RELEASE);
    for (t = 0; t < threads; t++) {
        CHECK(pthread_create(&th[t], NULL, racer, (void *)(intptr_t)t) == 0);
    }
#ifndef Py_GIL_DISABLED
    /* Holding this interpreter's GIL until every racer is about to wait for
     * it, and a little longer.  (Without a GIL the racers need no help, and
     * this thread may not stay attached while they start: a new thread
     * state stops the world on the free-threaded build.) */
    while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < threads) {
        sched_yield();
    }
    nap.tv_sec = 0;
    nap.tv_nsec = 20 * 1000 * 1000;
    nanosleep(&nap, NULL);
#else
    (void)nap;
#endif
    Py_BEGIN_ALLOW_THREADS
    for (t = 0; t < threads; t++) {
        CHECK(pthread_join(th[t], NULL) == 0);
    }
    Py_END_ALLOW_THREADS
    for (t = 1; t < threads; t++) {
        CHECK(seen[t] == seen[0]);
    }
    CHECK(Py_ONCEVAR_GET(cls) == seen[0]);
    racing = __atomic_exchange_n(&entered, 0, __ATOMIC_RELAXED);
    CHECK(racing >= 1);
    if (racing > max_racing) {
        max_racing = racing;
    }
    refs = Py_REFCNT(seen[0]);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    return refs;
}

int
main(void)
{
    Py_ssize_t alone, t0, t1;
    int i;

    Py_Initialize();
    /* A control interpreter, one thread: the class's count with the slot
     * filled once. */
    alone = cycle(1);
    t0 = total_refcount();
    for (i = 1; i < CYCLES; i++) {
        Py_ssize_t raced = cycle(NTHREADS);
        /* The same with every loser's reference released.  (Free-threaded
         * builds count other threads' references apart and merge them
         * later: there the total below decides.) */
#ifndef Py_GIL_DISABLED
        CHECK_EQ_INT(raced, alone);
#else
        (void)raced;
        (void)alone;
#endif
    }
    t1 = total_refcount();
    CHECK_EQ_INT(t1 - t0, 0);
    /* Not a single race: the test would have tested nothing. */
    CHECK(max_racing >= 2);
    CHECK(Py_FinalizeEx() == 0);
    printf("ok: hammer (%d threads on the first import of " MODULE "." CLASS
           " in %d fresh sub-interpreters, up to %d found the slot empty; "
           "total refcount %s)\n",
           NTHREADS, CYCLES - 1, max_racing,
           t0 < 0 ? "not counted (release build)" : "unchanged");
    test_passed("hammer");
    return 0;
}
