/* Tests: release by `Py_XDECREF(v); v = NULL;` in a fini function that is
 * registered with Py_AtExit -> OV102. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, pickle_dumps);   /*~ OV102 pickle_dumps */

static PyObject *
serialize(PyObject *self, PyObject *obj)
{
    if (!Py_ONCEVAR(pickle_dumps)) {
        PyObject *pickle = PyImport_ImportModule("pickle");
        if (!pickle) {
            return NULL;
        }
        Py_ONCEVAR(pickle_dumps) = PyObject_GetAttrString(pickle, "dumps");
        Py_DECREF(pickle);
        if (!Py_ONCEVAR(pickle_dumps)) {
            return NULL;
        }
    }
    return PyObject_CallOneArg(Py_ONCEVAR(pickle_dumps), obj);
}

static void
serializer_fini(void)
{
    Py_XDECREF(Py_ONCEVAR(pickle_dumps));
    Py_ONCEVAR(pickle_dumps) = NULL;
}

static int
serializer_exec(PyObject *module)
{
    return Py_AtExit(serializer_fini);
}
