/*
 * (1) Values are per interpreter: a value set in the main interpreter is not
 * seen in a Py_NewInterpreter() sub-interpreter and vice versa, with several
 * interpreters alive at once, from another OS thread attached to a
 * sub-interpreter, and for a new interpreter that may reuse the address of
 * an ended one.
 */
#include "testutil.h"
#include "oncevar.h"
#include <pthread.h>

Py_ONCEVAR_DECLARE(PyObject *, shared_name);

static PyObject *
get_block_scoped(int set_id)
{
    Py_ONCEVAR_DECLARE(PyObject *, block_cache);
    if (Py_ONCEVAR(block_cache) == NULL && set_id >= 0) {
        Py_ONCEVAR(block_cache) = counted_new(set_id);
    }
    return Py_ONCEVAR(block_cache);
}

typedef struct {
    PyInterpreterState *interp;
    PyObject *seen;
    PyObject *seen_block;
} thread_arg;

static void *
thread_main(void *p)
{
    thread_arg *arg = (thread_arg *)p;
    PyThreadState *ts = PyThreadState_New(arg->interp);
    PyEval_RestoreThread(ts);
    arg->seen = Py_ONCEVAR(shared_name);
    arg->seen_block = get_block_scoped(-1);
    PyThreadState_Clear(ts);
    PyThreadState_DeleteCurrent();
    return NULL;
}

static void
check_from_thread(PyInterpreterState *interp, PyObject *expect,
                  PyObject *expect_block)
{
    pthread_t th;
    thread_arg arg = {interp, NULL, NULL};
    Py_BEGIN_ALLOW_THREADS
    CHECK(pthread_create(&th, NULL, thread_main, &arg) == 0);
    CHECK(pthread_join(th, NULL) == 0);
    Py_END_ALLOW_THREADS
    CHECK(arg.seen == expect);
    CHECK(arg.seen_block == expect_block);
}

int
main(void)
{
    PyThreadState *main_ts, *sub1, *sub2, *sub3;
    PyObject *m1, *s1, *s2, *b1;
    int i;

    Py_Initialize();
    main_ts = PyThreadState_Get();

    CHECK(Py_ONCEVAR(shared_name) == NULL);
    Py_ONCEVAR(shared_name) = m1 = counted_new(1);
    b1 = get_block_scoped(11);
    CHECK(counted_id(b1) == 11);

    sub1 = Py_NewInterpreter();
    CHECK(sub1 != NULL);
    CHECK(Py_ONCEVAR(shared_name) == NULL);      /* main's value not seen */
    CHECK(get_block_scoped(-1) == NULL);
    Py_ONCEVAR(shared_name) = s1 = counted_new(2);
    CHECK(counted_id(get_block_scoped(12)) == 12);

    PyThreadState_Swap(main_ts);
    CHECK(Py_ONCEVAR(shared_name) == m1);        /* sub's value not seen */
    CHECK(get_block_scoped(-1) == b1);

    sub2 = Py_NewInterpreter();                  /* two subs alive */
    CHECK(sub2 != NULL);
    CHECK(Py_ONCEVAR(shared_name) == NULL);
    Py_ONCEVAR(shared_name) = s2 = counted_new(3);

    PyThreadState_Swap(sub1);
    CHECK(Py_ONCEVAR(shared_name) == s1);
    PyThreadState_Swap(sub2);
    CHECK(Py_ONCEVAR(shared_name) == s2);
    CHECK(get_block_scoped(-1) == NULL);

    /* Another OS thread attached to each interpreter sees that
     * interpreter's values. */
    PyThreadState_Swap(sub1);
    check_from_thread(PyThreadState_Get()->interp, s1, get_block_scoped(-1));
    PyThreadState_Swap(main_ts);
    check_from_thread(PyThreadState_Get()->interp, m1, b1);

    /* Alternate many times (exercises the recent-table cache). */
    for (i = 0; i < 1000; i++) {
        PyThreadState_Swap(i % 3 == 0 ? main_ts : i % 3 == 1 ? sub1 : sub2);
        CHECK(Py_ONCEVAR(shared_name) == (i % 3 == 0 ? m1 : i % 3 == 1 ? s1 : s2));
    }

    log_reset();
    PyThreadState_Swap(sub2);
    Py_EndInterpreter(sub2);
    LOG_EXPECT(3);

    PyThreadState_Swap(sub1);
    CHECK(Py_ONCEVAR(shared_name) == s1);
    log_reset();
    Py_EndInterpreter(sub1);
    LOG_EXPECT(12, 2);  /* reverse registration order */

    /* New interpreters (possibly at a reused address) start empty. */
    for (i = 0; i < 5; i++) {
        PyThreadState_Swap(main_ts);
        sub3 = Py_NewInterpreter();
        CHECK(sub3 != NULL);
        CHECK(Py_ONCEVAR(shared_name) == NULL);
        CHECK(get_block_scoped(-1) == NULL);
        Py_ONCEVAR(shared_name) = counted_new(100 + i);
        log_reset();
        Py_EndInterpreter(sub3);
        CHECK_EQ_INT(dealloc_count, 1);
        CHECK_EQ_INT(dealloc_log[0], 100 + i);
    }

    PyThreadState_Swap(main_ts);
    CHECK(Py_ONCEVAR(shared_name) == m1);
    CHECK(get_block_scoped(-1) == b1);
    log_reset();
    CHECK(Py_FinalizeEx() == 0);
    LOG_EXPECT(11, 1);
    test_passed("isolation");
    return 0;
}
