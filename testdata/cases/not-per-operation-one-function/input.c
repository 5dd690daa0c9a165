/* Tests: per-operation state within one function: refused (with an
 * exception) while set, created, used, then cleared before returning, so
 * no re-entrant call can run meanwhile. Not a cache: no site. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *in_progress = NULL;

static PyObject *
run_once_at_a_time(PyObject *self, PyObject *callable)
{
    PyObject *result;

    if (in_progress) {
        PyErr_SetString(PyExc_RuntimeError, "re-entrant call");
        return NULL;
    }
    in_progress = PyList_New(0);
    if (in_progress == NULL) {
        return NULL;
    }
    result = PyObject_CallOneArg(callable, in_progress);
    Py_CLEAR(in_progress);
    return result;
}
