/* Tests: Yoda-style guard `if (NULL == v)` -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *weakref_type = NULL;   /*~ OV101 weakref_type */

static PyObject *
make_weakref(PyObject *self, PyObject *obj)
{
    if (NULL == weakref_type) {
        PyObject *mod = PyImport_ImportModule("weakref");
        if (NULL == mod) {
            return NULL;
        }
        weakref_type = PyObject_GetAttrString(mod, "ref");
        Py_DECREF(mod);
        if (NULL == weakref_type) {
            return NULL;
        }
    }
    return PyObject_CallOneArg(weakref_type, obj);
}
