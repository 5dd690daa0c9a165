/* Tests (look-alike, no finding): a file-scope static shadowed by a
 * parameter in one function and by a local in another.  The lazy guards
 * operate on the parameter/local, not on the static, which is only read
 * elsewhere.  No site. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *result = NULL;

static PyObject *
with_param(PyObject *self, PyObject *result)
{
    if (result == NULL) {
        result = Py_None;
    }
    return Py_NewRef(result);
}

static PyObject *
with_local(PyObject *self, PyObject *unused)
{
    PyObject *result = NULL;
    if (!result) {
        result = PyList_New(0);
    }
    return result;
}

static PyObject *
with_block(PyObject *self, PyObject *unused)
{
    {
        PyObject *result = PyTuple_New(0);
        if (result == NULL) {
            return NULL;
        }
        Py_DECREF(result);
    }
    return Py_XNewRef(result);
}
