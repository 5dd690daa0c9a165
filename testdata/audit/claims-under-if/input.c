/* Claims as real modules write them: under a version test, under
 * Py_GIL_DISABLED, a claim of not supporting several interpreters in the
 * other branch, and a claim inside a Python 2 branch that no current
 * CPython compiles (not read). A static type contradicts the own-GIL
 * claim; nothing blocks free threading. */
#include <Python.h>

static PyTypeObject Item_Type = { /*~ OV502 Item_Type */
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cond.Item",
};

static int
cond_exec(PyObject *m)
{
    if (PyType_Ready(&Item_Type) < 0) {
        return -1;
    }
    return PyModule_AddType(m, &Item_Type);
}

static PyModuleDef_Slot cond_slots[] = {
    {Py_mod_exec, cond_exec},
#if PY_VERSION_HEX >= 0x030C0000
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED}, /*~ contradicted cond Py_MOD_PER_INTERPRETER_GIL_SUPPORTED */
#else
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
#ifdef Py_GIL_DISABLED
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
#if PY_MAJOR_VERSION < 3
    {Py_mod_gil, Py_MOD_GIL_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef cond_module = {
    PyModuleDef_HEAD_INIT, "cond", NULL, 0, NULL,
#if PY_MINOR_VERSION >= 5
    cond_slots,
#else
    NULL,
#endif
};

PyMODINIT_FUNC
PyInit_cond(void) /*~ module cond multi-phase pig=blocked ft=ok */
{
    return PyModuleDef_Init(&cond_module);
}
