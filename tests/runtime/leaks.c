/*
 * No reference leaks (debug builds of CPython, which have
 * sys.gettotalrefcount): creating a sub-interpreter, filling its variables
 * (owning, borrowed, raw; some after a memory-exhaustion fallback) and ending
 * it leaves the total reference count where it was.  Elsewhere a no-op.
 */
#include "testutil.h"
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, owned);
Py_ONCEVAR_DECLARE(PyObject *, owned2);
Py_ONCEVAR_DECLARE_BORROWED(PyObject *, borrowed);
Py_ONCEVAR_DECLARE_RAW(char *, raw, PyMem_Free);

static Py_ssize_t
total_refcount(PyObject *get_total)
{
    PyObject *r = PyObject_CallObject(get_total, NULL);
    Py_ssize_t v;
    CHECK(r != NULL);
    v = PyLong_AsSsize_t(r);
    Py_DECREF(r);
    return v;
}

static void
cycle(void)
{
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    CHECK(Py_ONCEVAR(owned) == NULL);
    Py_ONCEVAR(owned) = PyList_New(0);
    Py_ONCEVAR(owned2) = PyUnicode_FromFormat("value %d", 42);
    Py_ONCEVAR(borrowed) = Py_ONCEVAR(owned2);
    Py_ONCEVAR(raw) = (char *)PyMem_Malloc(32);
    Py_SETREF(Py_ONCEVAR(owned), PyTuple_New(0));
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
}

int
main(void)
{
    PyObject *get_total;
    Py_ssize_t t0, t1;
    int i;

    Py_Initialize();
    get_total = PySys_GetObject("gettotalrefcount");
    if (get_total == NULL) {
        Py_FinalizeEx();
        printf("ok: leaks (skipped: not a debug build of CPython %s)\n",
               PY_VERSION);
        return 0;
    }
    Py_INCREF(get_total);
    cycle();
    cycle();
    t0 = total_refcount(get_total);
    for (i = 0; i < 5; i++) {
        cycle();
    }
    t1 = total_refcount(get_total);
    CHECK_EQ_INT(t1 - t0, 0);
    Py_DECREF(get_total);
    CHECK(Py_FinalizeEx() == 0);
    test_passed("leaks");
    return 0;
}
