/* A second unit calling the same filler (util.c's fetch_attr). */
#include <Python.h>
#include "util.h"

static PyObject *dumps = NULL; /*~ OV101 dumps */

static PyObject *
get(PyObject *self, PyObject *arg)
{
    fetch_attr("json", "dumps", &dumps);
    return Py_XNewRef(dumps);
}

static PyMethodDef methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "mod2", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_mod2(void)
{
    return PyModuleDef_Init(&def);
}
