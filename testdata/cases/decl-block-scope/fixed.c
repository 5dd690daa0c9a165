/* Tests: block-scope (function-local) `static PyObject *v = NULL;` lazily
 * initialised on first call under `if (v == NULL)` -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

static PyObject *
make_key(PyObject *self, PyObject *args)
{
    Py_ONCEVAR_DECLARE(PyObject *, key_sep);   /*~ OV101 key_sep */
    PyObject *left, *right;

    if (!PyArg_ParseTuple(args, "UU:make_key", &left, &right)) {
        return NULL;
    }
    if (Py_ONCEVAR(key_sep) == NULL) {
        Py_ONCEVAR(key_sep) = PyUnicode_FromString("::");
        if (Py_ONCEVAR(key_sep) == NULL) {
            return NULL;
        }
    }
    PyObject *parts = PyTuple_Pack(2, left, right);
    if (parts == NULL) {
        return NULL;
    }
    PyObject *res = PyUnicode_Join(Py_ONCEVAR(key_sep), parts);
    Py_DECREF(parts);
    return res;
}
