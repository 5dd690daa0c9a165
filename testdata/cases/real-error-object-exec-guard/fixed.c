/* Tests (realistic, modelled on the xx example module): an exception object
 * created in the module's exec function, but only `if (ErrorObject == NULL)`.
 * That IS a NULL guard (re-running exec keeps the first interpreter's
 * object), so this is OV101, not OV301. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, ErrorObject);   /*~ OV101 ErrorObject */

static PyObject *
demo_raise(PyObject *self, PyObject *unused)
{
    PyErr_SetString(Py_ONCEVAR(ErrorObject), "demo error");
    return NULL;
}

static int
demo_exec(PyObject *m)
{
    if (Py_ONCEVAR(ErrorObject) == NULL) {
        Py_ONCEVAR(ErrorObject) = PyErr_NewException("demo.error", NULL, NULL);
        if (Py_ONCEVAR(ErrorObject) == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "error", Py_ONCEVAR(ErrorObject));
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
