#include "wrap.h"

static PyObject *
all(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("OOO", get_json(), get_empty(), get_table());
}

static PyMethodDef methods[] = {
    {"all", all, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "free", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_free(void)
{
    PyObject *m = PyModule_Create(&def);
#ifdef Py_GIL_DISABLED
    if (m != NULL) {
        PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
    }
#endif
    return m;
}
