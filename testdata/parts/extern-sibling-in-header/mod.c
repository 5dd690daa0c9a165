/* A static filled under one guard together with a global declared
 * `extern` in a header that names no static (glob.h): the global stays
 * process-wide, so the static's fix alone would have every new
 * interpreter refill it; unsafe, in any spelling of the write (plain, in
 * a helper the guard runs, through a macro). An `int` global written
 * under the guard is no object: `counted` stays safe. */
#include <Python.h>
#include "glob.h"

#define SET(s, v) ((s) = (v))

static PyObject *head = NULL; /* ~ OV101 head */
static PyObject *pair = NULL; /* ~ OV101 pair */
static PyObject *macro_head = NULL; /* ~ OV101 macro_head */
static PyObject *counted = NULL; /* ~ OV101 counted */

static PyObject *
wrap(PyObject *self, PyObject *arg)
{
    if (head == NULL) {
        head = PyUnicode_FromString("<<");
        tail = PyUnicode_FromString(">>");
        if (head == NULL || tail == NULL)
            return NULL;
    }
    return PyUnicode_FromFormat("%U%U%U", head, arg, tail);
}

static int
fill_other(void)
{
    other = PyUnicode_FromString("other");
    return other == NULL ? -1 : 0;
}

static PyObject *
get_pair(PyObject *self, PyObject *unused)
{
    if (pair == NULL) {
        pair = PyUnicode_FromString("pair");
        if (pair == NULL || fill_other() < 0)
            return NULL;
    }
    return PyTuple_Pack(2, pair, other);
}

static PyObject *
get_macro(PyObject *self, PyObject *unused)
{
    if (macro_head == NULL) {
        macro_head = PyUnicode_FromString("m");
        SET(via_macro, PyUnicode_FromString("v"));
        if (macro_head == NULL || via_macro == NULL)
            return NULL;
    }
    return PyTuple_Pack(2, macro_head, via_macro);
}

static PyObject *
get_counted(PyObject *self, PyObject *arg)
{
    if (counted == NULL) {
        counted = PyUnicode_FromString("counted");
        fills = PyObject_IsTrue(arg);
        if (counted == NULL)
            return NULL;
    }
    return Py_NewRef(counted);
}
