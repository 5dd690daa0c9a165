/* Tests: a `N` unit of a building call's format steals its argument
 * (Py_BuildValue, PyObject_CallFunction, PyObject_CallMethod; "Building
 * values" in CPython's C API documentation): a borrowed store made strong
 * by the Py_INCREF beside it and then built with `N` leaves the slot
 * owning nothing, so the fix wraps the store in Py_XNewRef (before session
 * 13: a plain owning store, released once too often at finalisation).
 * The format's units are counted: `s#` takes two arguments, adjacent
 * literals are one format.  Controls: `O`, or `N` for another argument,
 * or the second argument of `O&` leave the slot the incref's reference:
 * it owns it as it is. */
#include <Python.h>

static PyObject *packed;       /*~ OV101 packed */
static PyObject *counted;      /*~ OV101 counted */
static PyObject *called;       /*~ OV101 called */
static PyObject *copied;       /*~ OV101 copied */
static PyObject *beside;       /*~ OV101 beside */

static PyObject *
get_packed(PyObject *self, PyObject *unused)
{
    if (packed == NULL) {
        packed = PyDict_GetItemString(PyEval_GetBuiltins(), "print");
        if (packed == NULL) {
            return NULL;
        }
        Py_INCREF(packed);
        return Py_BuildValue("(N)", packed);
    }
    return Py_BuildValue("(O)", packed);
}

static PyObject *
get_counted(PyObject *self, PyObject *unused)
{
    if (counted == NULL) {
        counted = PyDict_GetItemString(PyEval_GetBuiltins(), "repr");
        if (counted == NULL) {
            return NULL;
        }
        Py_INCREF(counted);
        return Py_BuildValue("(s#" "N)", "ab", (Py_ssize_t)2, counted);
    }
    return Py_NewRef(counted);
}

static PyObject *
get_called(PyObject *self, PyObject *list)
{
    if (called == NULL) {
        called = PyDict_GetItemString(PyEval_GetBuiltins(), "len");
        if (called == NULL) {
            return NULL;
        }
        Py_INCREF(called);
        return PyObject_CallMethod(list, "append", "N", called);
    }
    return Py_NewRef(called);
}

static PyObject *
get_copied(PyObject *self, PyObject *unused)
{
    if (copied == NULL) {
        copied = PyDict_GetItemString(PyEval_GetBuiltins(), "abs");
        if (copied == NULL) {
            return NULL;
        }
        Py_INCREF(copied);
        return Py_BuildValue("(O)", copied);
    }
    return Py_NewRef(copied);
}

static PyObject *
get_beside(PyObject *self, PyObject *unused)
{
    if (beside == NULL) {
        beside = PyDict_GetItemString(PyEval_GetBuiltins(), "min");
        if (beside == NULL) {
            return NULL;
        }
        Py_INCREF(beside);
        return Py_BuildValue("(NO)", PyLong_FromLong(1), beside);
    }
    return Py_NewRef(beside);
}
