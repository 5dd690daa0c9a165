#include "shared.h"

static PyObject *
all(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("OOO", get_json(), get_empty(), get_table());
}

static PyMethodDef methods[] = {
    {"all", all, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "plain", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_plain(void)
{
    PyObject *m = PyModule_Create(&def);
    return m;
}
