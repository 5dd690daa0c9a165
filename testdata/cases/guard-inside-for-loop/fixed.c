/* Tests: a block-scope static whose NULL guard is nested inside a `for`
 * loop body (initialised on the first iteration of the first call) -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

static PyObject *
join_reprs(PyObject *self, PyObject *seq)
{
    PyObject *parts = PyList_New(0);
    if (parts == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PySequence_Size(seq); i++) {
        Py_ONCEVAR_DECLARE(PyObject *, comma_sep);   /*~ OV101 comma_sep */
        if (i > 0) {
            if (Py_ONCEVAR(comma_sep) == NULL) {
                Py_ONCEVAR(comma_sep) = PyUnicode_FromString(", ");
                if (Py_ONCEVAR(comma_sep) == NULL) {
                    goto error;
                }
            }
            if (PyList_Append(parts, Py_ONCEVAR(comma_sep)) < 0) {
                goto error;
            }
        }
        PyObject *item = PySequence_GetItem(seq, i);
        if (item == NULL) {
            goto error;
        }
        PyObject *r = PyObject_Repr(item);
        Py_DECREF(item);
        if (r == NULL || PyList_Append(parts, r) < 0) {
            Py_XDECREF(r);
            goto error;
        }
        Py_DECREF(r);
    }
    PyObject *empty = PyUnicode_New(0, 0);
    PyObject *res = empty ? PyUnicode_Join(empty, parts) : NULL;
    Py_XDECREF(empty);
    Py_DECREF(parts);
    return res;
error:
    Py_DECREF(parts);
    return NULL;
}
