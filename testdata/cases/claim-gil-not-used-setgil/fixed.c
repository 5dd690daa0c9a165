/* Tests: the claim made at run time, PyUnstable_Module_SetGIL(m,
 * Py_MOD_GIL_NOT_USED), in a single-phase module -> OV401; a guard with a
 * single assignment and no NULL check becomes `Py_ONCEVAR_SET(v, EXPR);`. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_MOD_GIL_NOT_USED ((void *)1)
static inline int
PyUnstable_Module_SetGIL(PyObject *module, void *gil)
{
    (void)module;
    (void)gil;
    return 0;
}
#endif

Py_ONCEVAR_DECLARE(PyObject *, greeting);   /*~ OV401 greeting */

static PyObject *
greet(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR_GET(greeting) == NULL)
        Py_ONCEVAR_SET(greeting, PyUnicode_InternFromString("hello"));
    return Py_XNewRef(Py_ONCEVAR(greeting));
}

static PyMethodDef greet_methods[] = {
    {"greet", greet, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef greet_module = {
    PyModuleDef_HEAD_INIT, "greet", NULL, -1, greet_methods,
};

PyMODINIT_FUNC
PyInit_greet(void)
{
    PyObject *m = PyModule_Create(&greet_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
