/* See mod.c: a method of this unit calls fill_cache at run time. */
#include <Python.h>
#include "quit.h"

PyObject *
other_get(PyObject *self, PyObject *unused)
{
    PyObject *cache = fill_cache();
    Py_XINCREF(cache);
    return cache;
}

static PyMethodDef methods[] = {{"get", other_get, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "other", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_other(void)
{
    return PyModuleDef_Init(&def);
}
