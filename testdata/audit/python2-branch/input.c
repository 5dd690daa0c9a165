/* Python 2 and 3 in one file: the Python 2 branch creates the module with
 * Py_InitModule (single-phase), the Python 3 one with PyModuleDef_Init.
 * Only the branch a current CPython compiles decides. */
#include <Python.h>

static PyMethodDef both_methods[] = {
    {NULL, NULL, 0, NULL},
};

#if PY_MAJOR_VERSION >= 3
static PyModuleDef_Slot both_slots[] = {
    {0, NULL},
};

static struct PyModuleDef both_module = {
    PyModuleDef_HEAD_INIT, "both", NULL, 0, both_methods, both_slots,
};

PyMODINIT_FUNC
PyInit_both(void) /*~ module both multi-phase pig=ok ft=ok */
{
    return PyModuleDef_Init(&both_module);
}
#else
PyMODINIT_FUNC
initboth(void)
{
    Py_InitModule("both", both_methods);
}
#endif
