/* e2e-audit: a multi-phase module that finds itself with
 * PyState_FindModule. `oncevar audit` says: blocked by OV504. Predicted:
 * the lookup only knows single-phase modules, so `myself()` finds nothing
 * (it returns None) in every interpreter. */
#include <Python.h>

static struct PyModuleDef findmodule_module;

static PyObject *
myself(PyObject *self, PyObject *unused)
{
    PyObject *m = PyState_FindModule(&findmodule_module);
    return Py_NewRef(m != NULL ? m : Py_None);
}

static PyMethodDef findmodule_methods[] = {
    {"myself", myself, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot findmodule_slots[] = {
    /* CLAIM */
    {0, NULL},
};

static struct PyModuleDef findmodule_module = {
    PyModuleDef_HEAD_INIT, "findmodule", NULL, 0, findmodule_methods, findmodule_slots,
};

PyMODINIT_FUNC
PyInit_findmodule(void)
{
    return PyModuleDef_Init(&findmodule_module);
}
