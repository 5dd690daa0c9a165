/* Tests: a NULL guard spelled by a macro of an included header, around
 * the fill (`if (NEED_INIT) { … }`) or as an early exit before it (`if
 * (READY) return …;`): each static is a lazy site (OV101), and its fix is
 * unsafe, since the macro's body names the static and oncevar does not
 * rewrite a header's macro. READY is no process-wide flag: it tests the
 * static itself. */
#include <Python.h>

static PyObject *one;   /*~ OV101 one */
static PyObject *two;   /*~ OV101 two */

#include "guards.h"

static PyObject *
get_one(PyObject *self, PyObject *unused)
{
    if (NEED_INIT) {
        one = PyUnicode_FromString("x");
        if (one == NULL)
            return NULL;
    }
    return Py_NewRef(one);
}

static PyObject *
get_two(PyObject *self, PyObject *unused)
{
    if (READY)
        return Py_NewRef(two);
    two = PyUnicode_FromString("y");
    return Py_XNewRef(two);
}

static PyMethodDef methods[] = {
    {"one", get_one, METH_NOARGS, NULL},
    {"two", get_two, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "header_guard", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_header_guard(void)
{
    return PyModuleDef_Init(&module);
}
