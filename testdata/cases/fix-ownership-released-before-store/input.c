/* Tests: a local whose reference is released on the way to the store
 * (`u = PyObject_GetAttrString(...); Py_DECREF(u); cache = u;`, "the type
 * keeps it alive") leaves the static with no reference of its own: the
 * key takes one (Py_XNewRef), where an owning slot as it is released a
 * reference never taken (a crash after a few sub-interpreters). The same
 * after an enclosing block, with Py_XDECREF, and with the function form
 * Py_DecRef (what stable-ABI code calls). Controls: a release on an
 * error branch that leaves first is no release on the way (the store
 * owns), and a local released and then made strong again beside the
 * store is owned. */
#include <Python.h>

static PyObject *utc = NULL;            /*~ OV101 utc */
static PyObject *outer = NULL;          /*~ OV101 outer */
static PyObject *xdropped = NULL;       /*~ OV101 xdropped */
static PyObject *checked = NULL;        /*~ OV101 checked */
static PyObject *both = NULL;           /*~ OV101 both */
static PyObject *fdropped = NULL;       /*~ OV101 fdropped */

static PyObject *
get_utc(PyObject *self, PyObject *tz)
{
    if (utc == NULL) {
        PyObject *u = PyObject_GetAttrString(tz, "utc");
        if (u == NULL)
            return NULL;
        Py_DECREF(u);
        utc = u;
    }
    return Py_NewRef(utc);
}

static PyObject *
get_outer(PyObject *self, PyObject *tz)
{
    PyObject *o = PyObject_GetAttrString(tz, "min");
    if (o == NULL)
        return NULL;
    Py_DECREF(o);
    if (outer == NULL) {
        outer = o;
    }
    return Py_NewRef(outer);
}

static PyObject *
get_xdropped(PyObject *self, PyObject *tz)
{
    if (xdropped == NULL) {
        PyObject *x = PyObject_GetAttrString(tz, "max");
        Py_XDECREF(x);
        if (x == NULL)
            return NULL;
        xdropped = x;
    }
    return Py_NewRef(xdropped);
}

static PyObject *
get_checked(PyObject *self, PyObject *tz)
{
    if (checked == NULL) {
        PyObject *c = PyObject_GetAttrString(tz, "resolution");
        if (c == NULL)
            return NULL;
        if (!PyObject_IsTrue(c)) {
            Py_DECREF(c);
            PyErr_SetString(PyExc_TypeError, "not a delta");
            return NULL;
        }
        checked = c;
    }
    return Py_NewRef(checked);
}

static PyObject *
get_both(PyObject *self, PyObject *tz)
{
    if (both == NULL) {
        PyObject *b = PyObject_GetAttrString(tz, "tzname");
        if (b == NULL)
            return NULL;
        Py_DECREF(b);
        Py_INCREF(b);
        both = b;
    }
    return Py_NewRef(both);
}

static PyObject *
get_fdropped(PyObject *self, PyObject *tz)
{
    if (fdropped == NULL) {
        PyObject *f = PyObject_GetAttrString(tz, "resolution");
        if (f == NULL)
            return NULL;
        Py_DecRef(f);
        fdropped = f;
    }
    return Py_NewRef(fdropped);
}

static PyMethodDef methods[] = {
    {"get_utc", get_utc, METH_O, NULL},
    {"get_outer", get_outer, METH_O, NULL},
    {"get_xdropped", get_xdropped, METH_O, NULL},
    {"get_checked", get_checked, METH_O, NULL},
    {"get_both", get_both, METH_O, NULL},
    {"get_fdropped", get_fdropped, METH_O, NULL},
    {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot slots[] = {{0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "released", NULL, 0, methods, slots};
PyMODINIT_FUNC PyInit_released(void) { return PyModuleDef_Init(&def); }
