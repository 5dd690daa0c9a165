/* Tests: Yoda-style guard `if (NULL == v)` -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, weakref_type);   /*~ OV101 weakref_type */

static PyObject *
make_weakref(PyObject *self, PyObject *obj)
{
    if (NULL == Py_ONCEVAR(weakref_type)) {
        PyObject *mod = PyImport_ImportModule("weakref");
        if (NULL == mod) {
            return NULL;
        }
        Py_ONCEVAR(weakref_type) = PyObject_GetAttrString(mod, "ref");
        Py_DECREF(mod);
        if (NULL == Py_ONCEVAR(weakref_type)) {
            return NULL;
        }
    }
    return PyObject_CallOneArg(Py_ONCEVAR(weakref_type), obj);
}
