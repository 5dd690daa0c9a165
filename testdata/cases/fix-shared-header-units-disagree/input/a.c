#include "common.h"

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

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
