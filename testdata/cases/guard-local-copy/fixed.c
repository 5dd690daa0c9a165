/* Tests: guard on a local copy of the static:
 *     PyObject *p = v; if (!p) { p = f(); ...; v = p; }
 * The static is still lazily initialised -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, partial_type);   /*~ OV101 partial_type */

static PyObject *
bind_first(PyObject *self, PyObject *args)
{
    PyObject *func, *arg;
    if (!PyArg_ParseTuple(args, "OO", &func, &arg)) {
        return NULL;
    }
    PyObject *partial = Py_ONCEVAR(partial_type);
    if (!partial) {
        PyObject *ft = PyImport_ImportModule("functools");
        if (!ft) {
            return NULL;
        }
        partial = PyObject_GetAttrString(ft, "partial");
        Py_DECREF(ft);
        if (!partial) {
            return NULL;
        }
        Py_ONCEVAR(partial_type) = partial;
    }
    return PyObject_CallFunctionObjArgs(partial, func, arg, NULL);
}
