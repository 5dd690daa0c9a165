#include "common.h"

static PyObject *
get(PyObject *self, PyObject *unused)
{
    return load_json();
}

static PyMethodDef methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "a", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_a(void)
{
    return PyModuleDef_Init(&def);
}
