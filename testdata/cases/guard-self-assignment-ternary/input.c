/* Tests: statics filled by a self-assignment that stores only while they
 * are NULL (`v = v ? v : make()`, `v != NULL ? v : …`, `v == NULL ? make()
 * : v`, GNU's `v ?: make()`), two in one function: each is a lazy cache
 * (OV101) with that condition as its guard, and the fix rewrites both arms.
 * A self-assignment whose other arm is not the static is a setter. */
#include <Python.h>

static PyObject *
booleans(PyObject *self, PyObject *unused)
{
    static PyObject *yes = NULL;   /*~ OV101 yes */
    static PyObject *no = NULL;    /*~ OV101 no */
    yes = yes ? yes : PyUnicode_InternFromString("yes");
    no = no != NULL ? no : PyUnicode_InternFromString("no");
    if (yes == NULL || no == NULL)
        return NULL;
    return PyTuple_Pack(2, yes, no);
}

static PyObject *
switches(PyObject *self, PyObject *unused)
{
    static PyObject *on = NULL;    /*~ OV101 on */
    static PyObject *off = NULL;   /*~ OV101 off */
    on = on ?: PyUnicode_InternFromString("on");
    off = (off == NULL) ? PyUnicode_InternFromString("off") : off;
    if (on == NULL || off == NULL)
        return NULL;
    return PyTuple_Pack(2, on, off);
}

static PyObject *
latest(PyObject *self, PyObject *value)
{
    static PyObject *last = NULL;
    Py_XDECREF(last);
    last = value ? Py_NewRef(value) : last;
    return Py_XNewRef(last);
}
