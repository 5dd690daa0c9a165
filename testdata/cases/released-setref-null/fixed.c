/* Tests: `Py_XSETREF(v, NULL)` and `Py_SETREF(v, NULL)` outside the guard
 * release the cached object and clear the static: OV102, as Py_CLEAR is.
 * `Py_XSETREF(v, new)` is a write, not a release. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, registry);   /*~ OV102 registry */
Py_ONCEVAR_DECLARE(PyTypeObject *, proxy_kind);    /*~ OV102 proxy_kind */

static PyObject *
reg(PyObject *self, PyObject *key)
{
    if (Py_ONCEVAR(registry) == NULL) {
        Py_ONCEVAR(registry) = PyDict_New();
        if (Py_ONCEVAR(registry) == NULL)
            return NULL;
    }
    if (PyDict_SetItem(Py_ONCEVAR(registry), key, Py_None) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
kind(PyObject *self, PyObject *unused)
{
    if (!Py_ONCEVAR(proxy_kind)) {
        Py_ONCEVAR(proxy_kind) = (PyTypeObject *)PyObject_GetAttrString(self, "ProxyType");
        if (!Py_ONCEVAR(proxy_kind))
            return NULL;
    }
    return Py_NewRef((PyObject *)Py_ONCEVAR(proxy_kind));
}

static PyObject *
forget(PyObject *self, PyObject *unused)
{
    Py_XSETREF(Py_ONCEVAR(registry), NULL);
    if (Py_ONCEVAR(proxy_kind) != NULL) {
        Py_SETREF(Py_ONCEVAR(proxy_kind), NULL);
    }
    Py_RETURN_NONE;
}
