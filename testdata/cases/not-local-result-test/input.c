/* Tests: a static assigned under a NULL test of an unrelated local
 * (`if (!hit)`, `if (item == NULL)`): it is re-assigned on every such call,
 * so it is neither a lazy cache nor set once under a flag. No site. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *last_miss = NULL;

static PyObject *
lookup(PyObject *self, PyObject *args)
{
    static PyObject *fallback_value = NULL;
    PyObject *table, *key;
    if (!PyArg_ParseTuple(args, "OO", &table, &key)) {
        return NULL;
    }
    PyObject *hit = PyDict_GetItemWithError(table, key);
    if (!hit) {
        fallback_value = PyLong_FromLong(-1);
        return Py_XNewRef(fallback_value);
    }
    return Py_NewRef(hit);
}

static PyObject *
remember(PyObject *self, PyObject *item)
{
    if (item == NULL) {
        last_miss = PyUnicode_FromString("none");
    }
    return Py_XNewRef(last_miss);
}
