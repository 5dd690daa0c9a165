/* Tests: an incref of a local that took a copy of a copy of the stored
 * local, written in order, is read as unclear (the slot may own one
 * reference or two), as an incref of a direct copy is; a copy found only
 * through another copy was missed, and the fix wrapped the store in
 * Py_XNewRef keeping the incref: a leak per interpreter. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *forwards;   /*~ OV101 forwards */
static PyObject *declared;   /*~ OV101 declared */
static PyObject *plain;      /*~ OV101 plain */

static PyObject *
get_forwards(PyObject *self, PyObject *d)
{
    PyObject *tmp, *a, *b;
    tmp = PyDict_GetItemString(d, "x");
    a = tmp;
    b = a;
    if (forwards == NULL) {
        forwards = tmp;
        Py_INCREF(b);
    }
    return Py_NewRef(forwards);
}

static PyObject *
get_declared(PyObject *self, PyObject *d)
{
    PyObject *tmp = PyDict_GetItemString(d, "x");
    PyObject *a = tmp;
    PyObject *b = (PyObject *)a;
    PyObject *c = b;
    if (declared == NULL) {
        declared = tmp;
        Py_INCREF(c);
    }
    return Py_NewRef(declared);
}

/* Contrast: the incref of the stored local itself, no copy: owned. */
static PyObject *
get_plain(PyObject *self, PyObject *d)
{
    PyObject *tmp = PyDict_GetItemString(d, "x");
    if (plain == NULL) {
        plain = tmp;
        Py_INCREF(tmp);
    }
    return Py_NewRef(plain);
}
