/* Tests: a release through a local copy, `old = v; v = NULL;
 * Py_XDECREF(old);`, counts as a release: OV102. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, listeners);   /*~ OV102 listeners */

static PyObject *
listen(PyObject *self, PyObject *callback)
{
    if (Py_ONCEVAR(listeners) == NULL) {
        Py_ONCEVAR(listeners) = PyList_New(0);
        if (Py_ONCEVAR(listeners) == NULL) {
            return NULL;
        }
    }
    if (PyList_Append(Py_ONCEVAR(listeners), callback) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static void
module_free(void *module)
{
    PyObject *old = Py_ONCEVAR(listeners);
    Py_ONCEVAR(listeners) = NULL;
    Py_XDECREF(old);
}
