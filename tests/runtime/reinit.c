/*
 * (3) Py_Initialize after Py_FinalizeEx starts from empty slots (the main
 * interpreter may well live at the same address again), several cycles, with
 * sub-interpreters in each cycle; each cycle's values are released by its
 * own finalisation.
 */
#include "testutil.h"
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, first);
Py_ONCEVAR_DECLARE(PyObject *, second);

static PyObject *
lazy_block(int id)
{
    Py_ONCEVAR_DECLARE(PyObject *, lazy);
    if (Py_ONCEVAR(lazy) == NULL) {
        Py_ONCEVAR(lazy) = counted_new(id);
    }
    return Py_ONCEVAR(lazy);
}

int
main(void)
{
    int cycle;
    PyInterpreterState *interps[4];

    for (cycle = 0; cycle < 4; cycle++) {
        PyThreadState *main_ts, *sub;
        int base = cycle * 10;

        Py_Initialize();
        main_ts = PyThreadState_Get();
        interps[cycle] = main_ts->interp;

        /* Fresh runtime: every slot reads NULL. */
        CHECK(Py_ONCEVAR(first) == NULL);
        CHECK(Py_ONCEVAR(second) == NULL);
        Py_ONCEVAR(first) = counted_new(base + 1);
        Py_ONCEVAR(second) = counted_new(base + 2);
        CHECK_EQ_INT(counted_id(lazy_block(base + 3)), base + 3);
        CHECK_EQ_INT(counted_id(lazy_block(base + 9)), base + 3);

        sub = Py_NewInterpreter();
        CHECK(sub != NULL);
        CHECK(Py_ONCEVAR(first) == NULL);
        Py_ONCEVAR(first) = counted_new(base + 5);
        log_reset();
        Py_EndInterpreter(sub);
        CHECK_EQ_INT(dealloc_count, 1);
        CHECK_EQ_INT(dealloc_log[0], base + 5);
        PyThreadState_Swap(main_ts);

        CHECK_EQ_INT(counted_id(Py_ONCEVAR(first)), base + 1);
        log_reset();
        CHECK(Py_FinalizeEx() == 0);
        /* reverse registration order: lazy, second, first */
        CHECK_EQ_INT(dealloc_count, 3);
        CHECK_EQ_INT(dealloc_log[0], base + 3);
        CHECK_EQ_INT(dealloc_log[1], base + 2);
        CHECK_EQ_INT(dealloc_log[2], base + 1);
    }
    printf("main interpreter addresses: %p %p %p %p\n", (void *)interps[0],
           (void *)interps[1], (void *)interps[2], (void *)interps[3]);
    test_passed("reinit");
    return 0;
}
