/* reduce.c: generated from reduce_template.c, built. */
#include "template.h"

static PyObject *
reduce_call(PyObject *self, PyObject *args)
{
    PyObject *empty = get_empty();
    if (empty == NULL) {
        return NULL;
    }
    return slow("reduce", args);
}

static PyMethodDef methods[] = {
    {"reduce", reduce_call, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "reduce", NULL, -1, methods
};

PyMODINIT_FUNC
PyInit_reduce(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL) {
        return NULL;
    }
#ifdef Py_GIL_DISABLED
    PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
#endif
    return m;
}
