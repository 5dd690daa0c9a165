/* Tests: per-operation state: refused (with an exception) while set,
 * created when an operation begins, freed and NULLed when it ends.
 * Not a cache: no site, for objects and memory alike. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *active_batch = NULL;
static char *scratch = NULL;

static PyObject *
begin_batch(PyObject *self, PyObject *unused)
{
    if (active_batch != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "a batch is already open");
        return NULL;
    }
    active_batch = PyList_New(0);
    if (active_batch == NULL) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
end_batch(PyObject *self, PyObject *unused)
{
    PyObject *result = Py_XNewRef(active_batch);
    Py_CLEAR(active_batch);
    return result ? result : Py_NewRef(Py_None);
}

static PyObject *
begin_scan(PyObject *self, PyObject *unused)
{
    if (scratch) {
        PyErr_Format(PyExc_RuntimeError, "scan in progress");
        return NULL;
    }
    scratch = PyMem_Malloc(4096);
    if (scratch == NULL) {
        return PyErr_NoMemory();
    }
    Py_RETURN_NONE;
}

static PyObject *
end_scan(PyObject *self, PyObject *unused)
{
    PyMem_Free(scratch);
    scratch = NULL;
    Py_RETURN_NONE;
}
