/* Tests (look-alike, no finding): ordinary (non-static) local pointers
 * with NULL guards, including one named `cache`.  Locals live for one call
 * only; they are not process-wide caches. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
lookup(PyObject *self, PyObject *args)
{
    PyObject *mapping, *key;
    PyObject *cache = NULL;
    PyObject *dflt;

    if (!PyArg_ParseTuple(args, "OO", &mapping, &key)) {
        return NULL;
    }
    if (cache == NULL) {
        cache = PyDict_New();
        if (cache == NULL) {
            return NULL;
        }
    }
    dflt = NULL;
    if (!dflt) {
        dflt = Py_None;
    }
    PyObject *v = PyObject_GetItem(mapping, key);
    if (v == NULL) {
        PyErr_Clear();
        v = Py_NewRef(dflt);
    }
    Py_DECREF(cache);
    return v;
}
