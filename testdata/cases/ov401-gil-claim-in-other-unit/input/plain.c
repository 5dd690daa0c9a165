/* A module that claims nothing. */
#include <Python.h>

extern PyObject *get_plain(void);

static PyObject *
plain_(PyObject *self, PyObject *unused)
{
    return get_plain();
}

static PyMethodDef methods[] = {
    {"plain", plain_, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "plain", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_plain(void)
{
    return PyModuleDef_Init(&def);
}
