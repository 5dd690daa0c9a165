/* Tests: in a module without the GIL, a lock spelled through a header's
 * macros (function-like, object-like, through two levels) makes a region
 * as PyMutex_Lock/PyMutex_Unlock do: OV101, not OV401; an unlock on an
 * early exit (`{ UNLOCK(); return NULL; }`) does not end the region for
 * what follows. A macro that locks in one #if branch and does something
 * else in the other is no lock: OV401. */
#include <Python.h>
#include "lock_compat.h"

static long lock_misses;

static PyObject *
get_clock(void)
{
    static PyObject *clock_fn = NULL;   /*~ OV101 clock_fn */
    PyObject *res;
    LOCK();
    if (clock_fn == NULL) {
        PyObject *mod = PyImport_ImportModule("time");
        if (mod == NULL) {
            UNLOCK();
            return NULL;
        }
        clock_fn = PyObject_GetAttrString(mod, "monotonic");
        Py_DECREF(mod);
        if (clock_fn == NULL) {
            UNLOCK();
            return NULL;
        }
    }
    res = Py_NewRef(clock_fn);
    UNLOCK();
    return res;
}

static PyObject *
get_empty(PyObject *self, PyObject *unused)
{
    static PyObject *empty = NULL;   /*~ OV101 empty */
    PyObject *res;
    CACHE_ENTER();
    if (empty == NULL) {
        empty = PyTuple_New(0);
    }
    res = Py_XNewRef(empty);
    CACHE_LEAVE();
    return res;
}

static PyObject *
get_names(PyObject *self, PyObject *unused)
{
    static PyObject *names = NULL;   /*~ OV101 names */
    PyObject *res;
    ACQUIRE;
    if (names == NULL) {
        names = PyList_New(0);
    }
    res = Py_XNewRef(names);
    RELEASE;
    return res;
}

static PyObject *
get_counted(PyObject *self, PyObject *unused)
{
    static PyObject *counted = NULL;   /*~ OV401 counted */
    PyObject *res;
    LOCK_OR_COUNT();
    if (counted == NULL) {
        counted = PyDict_New();
    }
    res = Py_XNewRef(counted);
    UNLOCK();
    return res;
}

static PyObject *
clock_(PyObject *self, PyObject *unused)
{
    PyObject *f = get_clock(), *r;
    if (f == NULL) {
        return NULL;
    }
    r = PyObject_CallNoArgs(f);
    Py_DECREF(f);
    return r;
}

static PyMethodDef lock_methods[] = {
    {"clock", clock_, METH_NOARGS, NULL},
    {"empty", get_empty, METH_NOARGS, NULL},
    {"names", get_names, METH_NOARGS, NULL},
    {"counted", get_counted, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot lock_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef lock_module = {
    PyModuleDef_HEAD_INIT, "lockmacro", NULL, 0, lock_methods, lock_slots,
};

PyMODINIT_FUNC
PyInit_lockmacro(void)
{
    return PyModuleDef_Init(&lock_module);
}
