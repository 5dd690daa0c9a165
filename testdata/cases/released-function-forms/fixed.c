/* Tests: releases spelled as the API's functions rather than its macros
 * (`Py_DecRef`; `Py_XDecRef` is matched alike), directly or through a local
 * copy, make the sites OV102. Before, an unknown release through a
 * local looked like a free list taking its object back, and the site
 * vanished. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, watchers);   /*~ OV102 watchers */
Py_ONCEVAR_DECLARE(PyObject *, listeners);         /*~ OV102 listeners */

static PyObject *
watch(PyObject *self, PyObject *fn)
{
    if (Py_ONCEVAR(watchers) == NULL) {
        Py_ONCEVAR(watchers) = PySet_New(NULL);
        if (Py_ONCEVAR(watchers) == NULL)
            return NULL;
    }
    if (!Py_ONCEVAR(listeners)) {
        Py_ONCEVAR(listeners) = PyList_New(0);
        if (!Py_ONCEVAR(listeners))
            return NULL;
    }
    if (PySet_Add(Py_ONCEVAR(watchers), fn) < 0 || PyList_Append(Py_ONCEVAR(listeners), fn) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static void
watch_free(void *module)
{
    PyObject *old = Py_ONCEVAR(watchers);
    Py_ONCEVAR(watchers) = NULL;
    Py_DecRef(old);
    Py_DecRef(Py_ONCEVAR(listeners));
    Py_ONCEVAR(listeners) = NULL;
}
