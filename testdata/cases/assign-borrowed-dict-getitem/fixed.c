/* Tests: the static holds a BORROWED reference (PyDict_GetItemString on the
 * builtins dict).  It is still a lazily-initialised object pointer and still
 * a site -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, builtin_len);   /*~ OV101 builtin_len */

static PyObject *
call_len(PyObject *self, PyObject *obj)
{
    if (Py_ONCEVAR(builtin_len) == NULL) {
        PyObject *builtins = PyEval_GetBuiltins();   /* borrowed */
        if (builtins == NULL) {
            return NULL;
        }
        Py_ONCEVAR(builtin_len) = Py_XNewRef(PyDict_GetItemString(builtins, "len"));   /* borrowed */
        if (Py_ONCEVAR(builtin_len) == NULL) {
            PyErr_SetString(PyExc_RuntimeError, "no builtin len");
            return NULL;
        }
    }
    return PyObject_CallOneArg(Py_ONCEVAR(builtin_len), obj);
}
