/* e2e-audit: a multi-phase module with a statically allocated type.
 * `oncevar audit` says: blocked by OV502. Predicted: every interpreter
 * shares the one type object (the same address in each). */
#include <Python.h>

static PyTypeObject Point_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype.Point",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};

static int
statictype_exec(PyObject *module)
{
    if (PyType_Ready(&Point_Type) < 0) {
        return -1;
    }
    return PyModule_AddObjectRef(module, "Point", (PyObject *)&Point_Type);
}

static PyModuleDef_Slot statictype_slots[] = {
    {Py_mod_exec, statictype_exec},
    /* CLAIM */
    {0, NULL},
};

static struct PyModuleDef statictype_module = {
    PyModuleDef_HEAD_INIT, "statictype", NULL, 0, NULL, statictype_slots,
};

PyMODINIT_FUNC
PyInit_statictype(void)
{
    return PyModuleDef_Init(&statictype_module);
}
