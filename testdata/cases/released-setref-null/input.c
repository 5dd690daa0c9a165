/* Tests: `Py_XSETREF(v, NULL)` and `Py_SETREF(v, NULL)` outside the guard
 * release the cached object and clear the static: OV102, as Py_CLEAR is.
 * `Py_XSETREF(v, new)` is a write, not a release. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *registry = NULL;   /*~ OV102 registry */
static PyTypeObject *proxy_kind;    /*~ OV102 proxy_kind */

static PyObject *
reg(PyObject *self, PyObject *key)
{
    if (registry == NULL) {
        registry = PyDict_New();
        if (registry == NULL)
            return NULL;
    }
    if (PyDict_SetItem(registry, key, Py_None) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
kind(PyObject *self, PyObject *unused)
{
    if (!proxy_kind) {
        proxy_kind = (PyTypeObject *)PyObject_GetAttrString(self, "ProxyType");
        if (!proxy_kind)
            return NULL;
    }
    return Py_NewRef((PyObject *)proxy_kind);
}

static PyObject *
forget(PyObject *self, PyObject *unused)
{
    Py_XSETREF(registry, NULL);
    if (proxy_kind != NULL) {
        Py_SETREF(proxy_kind, NULL);
    }
    Py_RETURN_NONE;
}
