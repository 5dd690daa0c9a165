/* Tests (realistic, modelled on the xx example module): an exception object
 * created in the module's exec function, but only `if (ErrorObject == NULL)`.
 * That IS a NULL guard (re-running exec keeps the first interpreter's
 * object), so this is OV101, not OV301. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *ErrorObject;   /*~ OV101 ErrorObject */

static PyObject *
demo_raise(PyObject *self, PyObject *unused)
{
    PyErr_SetString(ErrorObject, "demo error");
    return NULL;
}

static int
demo_exec(PyObject *m)
{
    if (ErrorObject == NULL) {
        ErrorObject = PyErr_NewException("demo.error", NULL, NULL);
        if (ErrorObject == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "error", ErrorObject);
}

static PyModuleDef_Slot demo_slots[] = {
    {Py_mod_exec, demo_exec},
    {0, NULL},
};

static struct PyModuleDef demomodule = {
    PyModuleDef_HEAD_INIT, .m_name = "demo", .m_slots = demo_slots,
};

PyMODINIT_FUNC
PyInit_demo(void)
{
    return PyModuleDef_Init(&demomodule);
}
