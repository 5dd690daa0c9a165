/* Tests: a release through a local copy, `old = v; v = NULL;
 * Py_XDECREF(old);`, counts as a release: OV102. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *listeners = NULL;   /*~ OV102 listeners */

static PyObject *
listen(PyObject *self, PyObject *callback)
{
    if (listeners == NULL) {
        listeners = PyList_New(0);
        if (listeners == NULL) {
            return NULL;
        }
    }
    if (PyList_Append(listeners, callback) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static void
module_free(void *module)
{
    PyObject *old = listeners;
    listeners = NULL;
    Py_XDECREF(old);
}
