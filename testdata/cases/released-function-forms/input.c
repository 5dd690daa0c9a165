/* Tests: releases spelled as the API's functions rather than its macros
 * (`Py_DecRef`; `Py_XDecRef` is matched alike), directly or through a local
 * copy, make the sites OV102. Before, an unknown release through a
 * local looked like a free list taking its object back, and the site
 * vanished. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *watchers = NULL;   /*~ OV102 watchers */
static PyObject *listeners;         /*~ OV102 listeners */

static PyObject *
watch(PyObject *self, PyObject *fn)
{
    if (watchers == NULL) {
        watchers = PySet_New(NULL);
        if (watchers == NULL)
            return NULL;
    }
    if (!listeners) {
        listeners = PyList_New(0);
        if (!listeners)
            return NULL;
    }
    if (PySet_Add(watchers, fn) < 0 || PyList_Append(listeners, fn) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static void
watch_free(void *module)
{
    PyObject *old = watchers;
    watchers = NULL;
    Py_DecRef(old);
    Py_DecRef(listeners);
    listeners = NULL;
}
