/* Tests (look-alike, no finding): a static set by a setter function to a new
 * value on every call (a user-installed callback).  It is state, not a
 * cache, even though readers check it against NULL and it is released. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *error_callback = NULL;

static PyObject *
set_error_callback(PyObject *self, PyObject *callback)
{
    if (callback == Py_None) {
        Py_CLEAR(error_callback);
        Py_RETURN_NONE;
    }
    Py_XINCREF(callback);
    Py_XDECREF(error_callback);
    error_callback = callback;
    Py_RETURN_NONE;
}

static PyObject *
report(PyObject *self, PyObject *msg)
{
    if (error_callback == NULL) {
        Py_RETURN_NONE;
    }
    return PyObject_CallOneArg(error_callback, msg);
}
