/*
 * Interpreters with their own GIL (CPython 3.12+) running truly in parallel:
 * threads in different isolated interpreters register variables, create
 * their tables and lazily initialise and read the same variables at the
 * same time; each sees only its own values, and each interpreter's values
 * are released when it ends.  On older versions the test is a no-op.
 */
#include "testutil.h"
#include "oncevar.h"
#include <pthread.h>

#define NKEYS 100
#define NINTERP 4
#define ROUNDS 200

#define DECL(n) Py_ONCEVAR_DECLARE(PyObject *, k##n);                      \
    static PyObject **slot_k##n(void) { return &Py_ONCEVAR(k##n); }        \
    static Py_ssize_t index_k##n(void) { return Py_ONCEVAR_INDEX(k##n); }
#define DECL10(p) DECL(p##0) DECL(p##1) DECL(p##2) DECL(p##3) DECL(p##4)    \
    DECL(p##5) DECL(p##6) DECL(p##7) DECL(p##8) DECL(p##9)
DECL10(0) DECL10(1) DECL10(2) DECL10(3) DECL10(4) DECL10(5) DECL10(6)
DECL10(7) DECL10(8) DECL10(9)
#define REF(n) slot_k##n,
#define REF10(p) REF(p##0) REF(p##1) REF(p##2) REF(p##3) REF(p##4)          \
    REF(p##5) REF(p##6) REF(p##7) REF(p##8) REF(p##9)
static PyObject **(*slots[NKEYS])(void) = {
    REF10(0) REF10(1) REF10(2) REF10(3) REF10(4) REF10(5) REF10(6)
    REF10(7) REF10(8) REF10(9)
};
#define IREF(n) index_k##n,
#define IREF10(p) IREF(p##0) IREF(p##1) IREF(p##2) IREF(p##3) IREF(p##4)    \
    IREF(p##5) IREF(p##6) IREF(p##7) IREF(p##8) IREF(p##9)
static Py_ssize_t (*indexes[NKEYS])(void) = {
    IREF10(0) IREF10(1) IREF10(2) IREF10(3) IREF10(4) IREF10(5) IREF10(6)
    IREF10(7) IREF10(8) IREF10(9)
};

#if PY_VERSION_HEX >= 0x030C0000

static PyThreadState *sub_ts[NINTERP];
static PyObject *mine[NINTERP][NKEYS];
static int go;                 /* atomic */

static void *
worker(void *p)
{
    int t = (int)(intptr_t)p, round, i;
    /* A thread state of this OS thread: on the free-threaded build a thread
     * state belongs to the thread that created it (its allocator heaps do). */
    PyThreadState *mine_ts =
        PyThreadState_New(PyThreadState_GetInterpreter(sub_ts[t]));
    CHECK(mine_ts != NULL);
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE)) {
    }
    PyEval_RestoreThread(mine_ts);       /* this interpreter's own GIL */
    for (round = 0; round < ROUNDS; round++) {
        for (i = 0; i < NKEYS; i++) {
            int k = (i * 17 + t * 29 + round) % NKEYS;
            PyObject **slot = slots[k]();
            if (*slot == NULL) {
                CHECK(mine[t][k] == NULL);
                *slot = mine[t][k] = counted_new(t * 1000 + k);
            }
            CHECK(*slots[k]() == mine[t][k]);
        }
        if (round % 10 == 0) {
            PyThreadState *ts = PyEval_SaveThread();
            PyEval_RestoreThread(ts);
        }
    }
    PyThreadState_Clear(mine_ts);
    PyThreadState_DeleteCurrent();
    return NULL;
}

int
main(void)
{
    PyThreadState *main_ts;
    pthread_t th[NINTERP];
    int t, i, by_index[NKEYS];
    PyInterpreterConfig config;

    memset(&config, 0, sizeof(config));
    config.use_main_obmalloc = 0;
    config.allow_fork = 0;
    config.allow_exec = 0;
    config.allow_threads = 1;
    config.allow_daemon_threads = 0;
    config.check_multi_interp_extensions = 1;
    config.gil = PyInterpreterConfig_OWN_GIL;

    Py_Initialize();
    main_ts = PyThreadState_Get();
    CHECK(*slots[0]() == NULL);
    *slots[0]() = counted_new(-1);

    for (t = 0; t < NINTERP; t++) {
        PyStatus status = Py_NewInterpreterFromConfig(&sub_ts[t], &config);
        CHECK(!PyStatus_Exception(status));
        CHECK(*slots[0]() == NULL);
        PyEval_SaveThread();              /* release the new GIL */
        PyThreadState_Swap(main_ts);      /* the main GIL is still held */
    }

    Py_BEGIN_ALLOW_THREADS
    for (t = 0; t < NINTERP; t++) {
        CHECK(pthread_create(&th[t], NULL, worker, (void *)(intptr_t)t) == 0);
    }
    __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
    for (t = 0; t < NINTERP; t++) {
        CHECK(pthread_join(th[t], NULL) == 0);
    }
    Py_END_ALLOW_THREADS

    CHECK_EQ_INT(counted_id(*slots[0]()), -1);
    /* The threads raced to register the keys: find out the order. */
    for (i = 0; i < NKEYS; i++) {
        by_index[i] = -1;
    }
    for (i = 0; i < NKEYS; i++) {
        Py_ssize_t idx = indexes[i]();
        CHECK(idx >= 0 && idx < NKEYS && by_index[idx] == -1);
        by_index[idx] = i;
    }
    for (t = 0; t < NINTERP; t++) {
        PyThreadState_Swap(NULL);
        PyEval_RestoreThread(sub_ts[t]);
        for (i = 0; i < NKEYS; i++) {
            CHECK(*slots[i]() == mine[t][i]);
        }
        log_reset();
        Py_EndInterpreter(sub_ts[t]);
        CHECK_EQ_INT(dealloc_count, NKEYS);
        for (i = 0; i < NKEYS; i++) {     /* reverse registration order */
            CHECK_EQ_INT(dealloc_log[i], t * 1000 + by_index[NKEYS - 1 - i]);
        }
        PyThreadState_Swap(main_ts);
    }
    log_reset();
    CHECK(Py_FinalizeEx() == 0);
    LOG_EXPECT(-1);
    test_passed("pergil");
    return 0;
}

#else

int
main(void)
{
    (void)slots;
    (void)indexes;
    printf("ok: pergil (skipped: interpreters with their own GIL need "
           "CPython 3.12+, this is %s)\n", PY_VERSION);
    return 0;
}

#endif
