/*
 * (4) Keys registered from several threads at once get distinct indexes
 * 0..N-1, each key exactly once; and threads sharing the main interpreter
 * (taking turns on the GIL) see one slot per variable.
 */
#include "testutil.h"
#include "oncevar.h"
#include <pthread.h>

#define NKEYS 200
#define NTHREADS 8

#define DECL(n) Py_ONCEVAR_DECLARE(PyObject *, k##n);                      \
    static Py_ssize_t index_k##n(void) { return Py_ONCEVAR_INDEX(k##n); }  \
    static PyObject **slot_k##n(void) { return &Py_ONCEVAR(k##n); }
#define DECL10(p) DECL(p##0) DECL(p##1) DECL(p##2) DECL(p##3) DECL(p##4)    \
    DECL(p##5) DECL(p##6) DECL(p##7) DECL(p##8) DECL(p##9)
#define DECL100(p) DECL10(p##0) DECL10(p##1) DECL10(p##2) DECL10(p##3)      \
    DECL10(p##4) DECL10(p##5) DECL10(p##6) DECL10(p##7) DECL10(p##8)        \
    DECL10(p##9)
DECL100(1) DECL100(2)

#define IREF(n) index_k##n,
#define IREF10(p) IREF(p##0) IREF(p##1) IREF(p##2) IREF(p##3) IREF(p##4)    \
    IREF(p##5) IREF(p##6) IREF(p##7) IREF(p##8) IREF(p##9)
#define IREF100(p) IREF10(p##0) IREF10(p##1) IREF10(p##2) IREF10(p##3)      \
    IREF10(p##4) IREF10(p##5) IREF10(p##6) IREF10(p##7) IREF10(p##8)        \
    IREF10(p##9)
static Py_ssize_t (*indexes[NKEYS])(void) = {IREF100(1) IREF100(2)};

#define SREF(n) slot_k##n,
#define SREF10(p) SREF(p##0) SREF(p##1) SREF(p##2) SREF(p##3) SREF(p##4)    \
    SREF(p##5) SREF(p##6) SREF(p##7) SREF(p##8) SREF(p##9)
#define SREF100(p) SREF10(p##0) SREF10(p##1) SREF10(p##2) SREF10(p##3)      \
    SREF10(p##4) SREF10(p##5) SREF10(p##6) SREF10(p##7) SREF10(p##8)        \
    SREF10(p##9)
static PyObject **(*slots[NKEYS])(void) = {SREF100(1) SREF100(2)};

static Py_ssize_t seen[NTHREADS][NKEYS];
static int go;                 /* atomic */

/* Registration needs no thread state: race the threads, each walking the
 * keys in its own order, from a common start signal. */
static void *
register_thread(void *p)
{
    int t = (int)(intptr_t)p, i;
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE)) {
    }
    for (i = 0; i < NKEYS; i++) {
        int k = t % 2 ? (i * 7 + t) % NKEYS : NKEYS - 1 - (i * 3 + t) % NKEYS;
        seen[t][k] = indexes[k]();
    }
    return NULL;
}

/* Threads attached to the main interpreter, releasing the GIL between
 * accesses, lazily initialise and read the same variables. */
static PyObject *winner[NKEYS];

static void *
python_thread(void *p)
{
    int t = (int)(intptr_t)p, round, i;
    PyGILState_STATE g = PyGILState_Ensure();
    for (round = 0; round < 20; round++) {
        for (i = 0; i < NKEYS; i++) {
            int k = (i * 13 + t * 31 + round) % NKEYS;
            PyObject **slot = slots[k]();
#ifdef Py_GIL_DISABLED
            /* No GIL: publish as Py_ONCEVAR_SET does (first value wins). */
            if (__atomic_load_n(slot, __ATOMIC_ACQUIRE) == NULL) {
                PyObject *expected = NULL, *obj = counted_new(k);
                if (__atomic_compare_exchange_n(slot, &expected, obj, 0,
                                                __ATOMIC_ACQ_REL,
                                                __ATOMIC_ACQUIRE)) {
                    __atomic_store_n(&winner[k], obj, __ATOMIC_RELEASE);
                }
                else {
                    Py_DECREF(obj);
                }
            }
            while (__atomic_load_n(&winner[k], __ATOMIC_ACQUIRE) == NULL) {
            }
            CHECK(__atomic_load_n(slots[k](), __ATOMIC_ACQUIRE)
                  == __atomic_load_n(&winner[k], __ATOMIC_ACQUIRE));
#else
            if (*slot == NULL) {
                *slot = counted_new(k);
                winner[k] = *slot;
            }
            CHECK(*slots[k]() == winner[k]);
#endif
            if (i % 16 == 0) {
                Py_BEGIN_ALLOW_THREADS
                Py_END_ALLOW_THREADS
            }
        }
    }
    PyGILState_Release(g);
    return NULL;
}

int
main(void)
{
    pthread_t th[NTHREADS];
    int t, i;
    static int owner[NKEYS];

    for (t = 0; t < NTHREADS; t++) {
        CHECK(pthread_create(&th[t], NULL, register_thread,
                             (void *)(intptr_t)t) == 0);
    }
    __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
    for (t = 0; t < NTHREADS; t++) {
        CHECK(pthread_join(th[t], NULL) == 0);
    }
    for (i = 0; i < NKEYS; i++) {
        owner[i] = -1;
    }
    for (i = 0; i < NKEYS; i++) {
        Py_ssize_t idx = seen[0][i];
        CHECK(idx >= 0 && idx < NKEYS);
        CHECK(owner[idx] == -1);        /* distinct */
        owner[idx] = i;
        for (t = 1; t < NTHREADS; t++) {
            CHECK(seen[t][i] == idx);   /* every thread saw the same index */
        }
        CHECK(indexes[i]() == idx);     /* stable */
    }

    Py_Initialize();
    Py_BEGIN_ALLOW_THREADS
    for (t = 0; t < NTHREADS; t++) {
        CHECK(pthread_create(&th[t], NULL, python_thread,
                             (void *)(intptr_t)t) == 0);
    }
    for (t = 0; t < NTHREADS; t++) {
        CHECK(pthread_join(th[t], NULL) == 0);
    }
    Py_END_ALLOW_THREADS
    for (i = 0; i < NKEYS; i++) {
        CHECK(*slots[i]() == winner[i]);
        CHECK_EQ_INT(counted_id(winner[i]), i);
    }
    log_reset();
    CHECK(Py_FinalizeEx() == 0);
    CHECK_EQ_INT(dealloc_count, NKEYS);
    /* reverse registration order */
    for (i = 0; i < NKEYS; i++) {
        CHECK_EQ_INT(dealloc_log[i], owner[NKEYS - 1 - i]);
    }
    test_passed("threads");
    return 0;
}
