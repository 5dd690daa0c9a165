/*
 * Py_ONCEVAR_SET / Py_ONCEVAR_GET, the publication primitive for code that
 * runs without the GIL:
 *
 * (1) one thread: the first value wins, a losing value is released (owning:
 *     Py_DECREF; raw: its free function; borrowed: nothing), the winner is
 *     returned, a NULL value stores nothing;
 * (2) NTHREADS threads in each of the main interpreter and two
 *     sub-interpreters (with their own GIL on 3.12+; no GIL at all on a
 *     free-threaded build) race on the FIRST access of NKEYS variables
 *     (registration, table creation, publication at once): every thread of
 *     an interpreter sees the same object, interpreters see different ones,
 *     every losing object is released at once, and each interpreter's
 *     objects are released when it ends;
 * (3) the loser hands in the winner's very object (an imported class, a
 *     module, an interned string): sequentially (a second SET of the
 *     winner's own object) and from two threads that both passed the NULL
 *     test before either published; the loser's reference is released all
 *     the same, so the slot keeps exactly one.
 *
 * Objects are counted with atomic counters (the threads really run in
 * parallel on free-threaded and per-interpreter-GIL builds).
 */
#include "testutil.h"
#include "oncevar.h"
#include <pthread.h>
#include <sched.h>

#if PY_VERSION_HEX < 0x03090000
#  define PyThreadState_GetInterpreter(ts) ((ts)->interp)
#endif

#define NTHREADS 8
#define NINTERP 3           /* main + two sub-interpreters */
#define NKEYS 20
#define ROUNDS 200

static long live;           /* atomic: objects alive */
static long made;           /* atomic: objects created */
static long raw_freed;      /* atomic */

static void
obj_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    __atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot obj_slots[] = {
    {Py_tp_dealloc, TEST_SLOT_FUNC(obj_dealloc)},
    {0, NULL},
};

static PyType_Spec obj_spec = {
    "oncevar_test.Published", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT,
    obj_slots,
};

static PyObject *
new_obj(void)
{
    PyObject *type = PyType_FromSpec(&obj_spec);
    PyObject *obj;
    CHECK(type != NULL);
    obj = PyObject_New(PyObject, (PyTypeObject *)type);
    Py_DECREF(type);
    CHECK(obj != NULL);
    __atomic_fetch_add(&live, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&made, 1, __ATOMIC_RELAXED);
    return obj;
}

static void
raw_free(void *p)
{
    __atomic_fetch_add(&raw_freed, 1, __ATOMIC_RELAXED);
    PyMem_RawFree(p);
}

static long
get_live(void)
{
    return __atomic_load_n(&live, __ATOMIC_RELAXED);
}

/* ---- (1) one thread ------------------------------------------------ */

Py_ONCEVAR_DECLARE(PyObject *, single);
Py_ONCEVAR_DECLARE_RAW(char *, raw, raw_free);
Py_ONCEVAR_DECLARE_BORROWED(PyObject *, borrowed);

static PyObject *
make_null(void)
{
    PyErr_SetString(PyExc_RuntimeError, "creation failed");
    return NULL;
}

static void
single_thread(void)
{
    PyObject *first, *second, *got;
    char *r1, *r2;

    CHECK(Py_ONCEVAR_GET(single) == NULL);
    /* A failed creation stores nothing and returns NULL (the error stays). */
    CHECK(Py_ONCEVAR_SET(single, make_null()) == NULL);
    CHECK(PyErr_ExceptionMatches(PyExc_RuntimeError));
    PyErr_Clear();
    CHECK(Py_ONCEVAR_GET(single) == NULL);

    first = new_obj();
    CHECK(Py_ONCEVAR_SET(single, first) == first);
    CHECK(Py_ONCEVAR_GET(single) == first && Py_ONCEVAR(single) == first);
    second = new_obj();
    CHECK_EQ_INT(get_live(), 2);
    got = Py_ONCEVAR_SET(single, second);     /* loses: released */
    CHECK(got == first);
    CHECK_EQ_INT(get_live(), 1);
    CHECK(Py_ONCEVAR(single) == first);

    r1 = (char *)PyMem_RawMalloc(8);
    r2 = (char *)PyMem_RawMalloc(8);
    CHECK(r1 != NULL && r2 != NULL);
    CHECK(Py_ONCEVAR_SET(raw, r1) == r1);
    CHECK(Py_ONCEVAR_SET(raw, r2) == r1);     /* r2 goes to raw_free */
    CHECK_EQ_INT(raw_freed, 1);

    CHECK(Py_ONCEVAR_SET(borrowed, Py_None) == Py_None);
    CHECK(Py_ONCEVAR_SET(borrowed, Py_True) == Py_None);   /* not released */
    CHECK(Py_ONCEVAR_GET(borrowed) == Py_None);
    CHECK(!PyErr_Occurred());
}

/* ---- (3) the loser hands in the winner's own object ----------------- */

/* A new reference (Py_NewRef is 3.10+). */
static PyObject *
new_ref(PyObject *obj)
{
    Py_INCREF(obj);
    return obj;
}

Py_ONCEVAR_DECLARE(PyObject *, same_seq);
Py_ONCEVAR_DECLARE(PyObject *, same_race);
Py_ONCEVAR_DECLARE_RAW(char *, same_raw, raw_free);
Py_ONCEVAR_DECLARE_BORROWED(PyObject *, same_borrowed);

static void
same_object_sequential(void)
{
    PyObject *obj = new_obj();
    Py_ssize_t refs;
    long freed = __atomic_load_n(&raw_freed, __ATOMIC_RELAXED);
    char *r = (char *)PyMem_RawMalloc(8);

    CHECK(Py_ONCEVAR_SET(same_seq, new_ref(obj)) == obj);
    refs = Py_REFCNT(obj);                  /* ours and the slot's */
    CHECK(Py_ONCEVAR_SET(same_seq, new_ref(obj)) == obj);
    CHECK_EQ_INT(Py_REFCNT(obj), refs);     /* the second one released */
    Py_DECREF(obj);

    /* Raw memory has one owner: the winner's pointer is never freed. */
    CHECK(r != NULL);
    CHECK(Py_ONCEVAR_SET(same_raw, r) == r);
    CHECK(Py_ONCEVAR_SET(same_raw, r) == r);
    CHECK_EQ_INT(__atomic_load_n(&raw_freed, __ATOMIC_RELAXED), freed);
    /* Borrowed: nothing to release, whoever wins. */
    CHECK(Py_ONCEVAR_SET(same_borrowed, Py_None) == Py_None);
    CHECK(Py_ONCEVAR_SET(same_borrowed, Py_None) == Py_None);
    CHECK(!PyErr_Occurred());
}

static PyObject *shared_obj;
static PyInterpreterState *same_interp;
static int same_tested;     /* atomic: threads past the NULL test */

static void *
same_racer(void *unused)
{
    PyThreadState *ts = PyThreadState_New(same_interp);
    PyObject *got;
    (void)unused;
    CHECK(ts != NULL);
    PyEval_RestoreThread(ts);
    CHECK(Py_ONCEVAR_GET(same_race) == NULL);
    /* Both threads pass the test before either publishes; each hands in
     * a reference of its own to the same object, as two threads importing
     * the same class do. */
    Py_BEGIN_ALLOW_THREADS
    __atomic_fetch_add(&same_tested, 1, __ATOMIC_ACQ_REL);
    while (__atomic_load_n(&same_tested, __ATOMIC_ACQUIRE) < 2) {
        sched_yield();
    }
    Py_END_ALLOW_THREADS
    got = Py_ONCEVAR_SET(same_race, new_ref(shared_obj));
    CHECK(got == shared_obj);
    PyThreadState_Clear(ts);
    PyThreadState_DeleteCurrent();
    return NULL;
}

static void
same_object_race(void)
{
    pthread_t th[2];
    int t;
    shared_obj = new_obj();
    same_interp = PyThreadState_GetInterpreter(PyThreadState_Get());
    Py_BEGIN_ALLOW_THREADS
    for (t = 0; t < 2; t++) {
        CHECK(pthread_create(&th[t], NULL, same_racer, NULL) == 0);
    }
    for (t = 0; t < 2; t++) {
        CHECK(pthread_join(th[t], NULL) == 0);
    }
    Py_END_ALLOW_THREADS
    CHECK(Py_ONCEVAR_GET(same_race) == shared_obj);
    /* Ours and the slot's: the loser's reference was released. */
    CHECK_EQ_INT(Py_REFCNT(shared_obj), 2);
    Py_DECREF(shared_obj);
}

/* ---- (2) racing first accesses -------------------------------------- */

#define DECL(n) Py_ONCEVAR_DECLARE(PyObject *, k##n);                      \
    static PyObject *get_k##n(void) { return Py_ONCEVAR_GET(k##n); }       \
    static PyObject *set_k##n(PyObject *v) { return Py_ONCEVAR_SET(k##n, v); }
DECL(0) DECL(1) DECL(2) DECL(3) DECL(4) DECL(5) DECL(6) DECL(7) DECL(8)
DECL(9) DECL(10) DECL(11) DECL(12) DECL(13) DECL(14) DECL(15) DECL(16)
DECL(17) DECL(18) DECL(19)
#define G(n) get_k##n,
#define S(n) set_k##n,
static PyObject *(*getters[NKEYS])(void) = {
    G(0) G(1) G(2) G(3) G(4) G(5) G(6) G(7) G(8) G(9) G(10) G(11) G(12)
    G(13) G(14) G(15) G(16) G(17) G(18) G(19)
};
static PyObject *(*setters[NKEYS])(PyObject *) = {
    S(0) S(1) S(2) S(3) S(4) S(5) S(6) S(7) S(8) S(9) S(10) S(11) S(12)
    S(13) S(14) S(15) S(16) S(17) S(18) S(19)
};

static PyInterpreterState *interps[NINTERP];
static PyObject *seen[NINTERP][NTHREADS][NKEYS];
static int go;              /* atomic */
static int ready;           /* atomic */

static void *
racer(void *p)
{
    int id = (int)(intptr_t)p, in = id / NTHREADS, t = id % NTHREADS;
    int round, i;
    PyThreadState *ts = PyThreadState_New(interps[in]);
    CHECK(ts != NULL);
    PyEval_RestoreThread(ts);
    /* Detached while waiting, so that nobody waits on us. */
    PyEval_SaveThread();
    __atomic_fetch_add(&ready, 1, __ATOMIC_ACQ_REL);
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE)) {
    }
    PyEval_RestoreThread(ts);
    for (i = 0; i < NKEYS; i++) {
        int k = (i + t * 7) % NKEYS;
        PyObject *v = getters[k]();
        if (v == NULL) {
            PyObject *mine = new_obj();
            /* Widen the window between the test and the publication (with
             * a GIL, let the others run their test too). */
            Py_BEGIN_ALLOW_THREADS
            sched_yield();
            Py_END_ALLOW_THREADS
            v = setters[k](mine);
        }
        CHECK(v != NULL);
        seen[in][t][k] = v;
    }
    for (round = 0; round < ROUNDS; round++) {
        for (i = 0; i < NKEYS; i++) {
            CHECK(getters[i]() == seen[in][t][i]);
        }
    }
    PyThreadState_Clear(ts);
    PyThreadState_DeleteCurrent();
    return NULL;
}

int
main(void)
{
    PyThreadState *main_ts, *sub_ts[NINTERP];
    pthread_t th[NINTERP * NTHREADS];
    int in, t, k;
    long before;

    Py_Initialize();
    main_ts = PyThreadState_Get();
    single_thread();
    CHECK_EQ_INT(get_live(), 1);
    same_object_sequential();
    same_object_race();
    CHECK_EQ_INT(get_live(), 3);

    interps[0] = PyThreadState_GetInterpreter(main_ts);
    sub_ts[0] = main_ts;
    for (in = 1; in < NINTERP; in++) {
        sub_ts[in] = new_sub_interpreter();
        interps[in] = PyThreadState_GetInterpreter(sub_ts[in]);
#if PY_VERSION_HEX >= 0x030C0000
        PyEval_SaveThread();              /* release its own GIL */
#endif
        PyThreadState_Swap(main_ts);      /* the main GIL is still held */
    }
    before = get_live();

    Py_BEGIN_ALLOW_THREADS
    for (t = 0; t < NINTERP * NTHREADS; t++) {
        CHECK(pthread_create(&th[t], NULL, racer, (void *)(intptr_t)t) == 0);
    }
    while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < NINTERP * NTHREADS) {
    }
    __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
    for (t = 0; t < NINTERP * NTHREADS; t++) {
        CHECK(pthread_join(th[t], NULL) == 0);
    }
    Py_END_ALLOW_THREADS

    /* One object per (interpreter, key): all the losers were released. */
    CHECK_EQ_INT(get_live() - before, NINTERP * NKEYS);
    for (in = 0; in < NINTERP; in++) {
        for (k = 0; k < NKEYS; k++) {
            CHECK(seen[in][0][k] != NULL);
            for (t = 1; t < NTHREADS; t++) {
                CHECK(seen[in][t][k] == seen[in][0][k]);
            }
            if (in > 0) {
                CHECK(seen[in][0][k] != seen[0][0][k]);
            }
        }
    }
    for (k = 0; k < NKEYS; k++) {
        CHECK(getters[k]() == seen[0][0][k]);
    }
    for (in = 1; in < NINTERP; in++) {
        before = get_live();
#if PY_VERSION_HEX >= 0x030C0000
        PyThreadState_Swap(NULL);
        PyEval_RestoreThread(sub_ts[in]);
#else
        PyThreadState_Swap(sub_ts[in]);
#endif
        for (k = 0; k < NKEYS; k++) {
            CHECK(getters[k]() == seen[in][0][k]);
        }
        Py_EndInterpreter(sub_ts[in]);
        CHECK_EQ_INT(before - get_live(), NKEYS);
        PyThreadState_Swap(main_ts);
    }
    CHECK(Py_FinalizeEx() == 0);
    CHECK_EQ_INT(get_live(), 0);
    printf("ok: publish (%d threads x %d interpreters, %d keys, %ld objects "
           "made, %ld losers released)\n",
           NTHREADS, NINTERP, NKEYS, __atomic_load_n(&made, __ATOMIC_RELAXED),
           __atomic_load_n(&made, __ATOMIC_RELAXED) - 4 - NINTERP * NKEYS);
    test_passed("publish");
    return 0;
}
