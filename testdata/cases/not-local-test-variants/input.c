/* Tests: a static assigned under a test of a local, in other spellings:
 * `== NULL` on a local of several declarators, a macro of the file, a
 * pointer typedef, a local assigned in an inner block and tested in a
 * loop, an early return on the local, a local filled through its address,
 * `&&` with another test, a `goto` to the write, and a test of a helper's
 * result. The value is replaced on every such call: no site. */
#include <Python.h>
#define IS_MISSING(x) ((x) == NULL)
typedef PyObject *ObjPtr;
static PyObject *
a1(PyObject *self, PyObject *mapping)
{
    static PyObject *last1 = NULL;
    PyObject *found = NULL, *other = NULL;
    found = PyDict_GetItemString(mapping, "name");
    if (found == NULL) {
        last1 = PyUnicode_FromString("anonymous");
        return Py_XNewRef(last1);
    }
    return Py_NewRef(found);
}
static PyObject *
a2(PyObject *self, PyObject *mapping)
{
    static PyObject *last2 = NULL;
    ObjPtr found = PyDict_GetItemString(mapping, "name");
    if (IS_MISSING(found)) {
        last2 = PyUnicode_FromString("anonymous");
        return Py_XNewRef(last2);
    }
    return Py_NewRef(found);
}
static PyObject *
a3(PyObject *self, PyObject *mapping)
{
    static PyObject *last3 = NULL;
    PyObject *found;
    {
        found = PyDict_GetItemString(mapping, "name");
    }
    for (int i = 0; i < 1; i++) {
        if (!found) {
            last3 = PyUnicode_FromString("anonymous");
            return Py_XNewRef(last3);
        }
    }
    return Py_NewRef(found);
}
static PyObject *
a4(PyObject *self, PyObject *mapping)
{
    static PyObject *last4 = NULL;
    PyObject *found = PyDict_GetItemString(mapping, "name");
    if (found)
        return Py_NewRef(found);
    last4 = PyUnicode_FromString("anonymous");
    return Py_XNewRef(last4);
}
static PyObject *
a5(PyObject *self, PyObject *args)
{
    static PyObject *last5 = NULL;
    PyObject *found = NULL;
    if (!PyArg_ParseTuple(args, "|O", &found))
        return NULL;
    if (!found) {
        last5 = PyUnicode_FromString("anonymous");
        return Py_XNewRef(last5);
    }
    return Py_NewRef(found);
}
static PyObject *
a6(PyObject *self, PyObject *mapping)
{
    static PyObject *last6 = NULL;
    PyObject *found = PyDict_GetItemString(mapping, "name");
    if (!found && !PyErr_Occurred()) {
        Py_XSETREF(last6, PyUnicode_FromString("anonymous"));
        return Py_XNewRef(last6);
    }
    return Py_XNewRef(found);
}
static PyObject *
a7(PyObject *self, PyObject *mapping)
{
    static PyObject *last7 = NULL;
    PyObject *found = PyDict_GetItemString(mapping, "name");
#ifdef EXTRA
    int extra = 1;
#endif
    if (!found)
        goto missing;
    return Py_NewRef(found);
missing:
    last7 = PyUnicode_FromString("anonymous");
    return Py_XNewRef(last7);
}
static int
is_missing(PyObject *mapping) { return PyDict_GetItemString(mapping, "x") == NULL; }
static PyObject *
a8(PyObject *self, PyObject *mapping)
{
    static PyObject *last8 = NULL;
    if (is_missing(mapping)) {
        last8 = PyUnicode_FromString("anonymous");
    }
    return Py_XNewRef(last8);
}
