/* Tests: the claim made at run time, PyUnstable_Module_SetGIL(m,
 * Py_MOD_GIL_NOT_USED), in a single-phase module -> OV401; a guard with a
 * single assignment and no NULL check becomes `Py_ONCEVAR_SET(v, EXPR);`. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#ifndef Py_MOD_GIL_NOT_USED   /* stand-ins for older headers */
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif
#ifndef Py_GIL_DISABLED   /* CPython has the function only without the GIL */
static inline int
PyUnstable_Module_SetGIL(PyObject *module, void *gil)
{
    (void)module;
    (void)gil;
    return 0;
}
#endif

static PyObject *greeting;   /*~ OV401 greeting */

static PyObject *
greet(PyObject *self, PyObject *unused)
{
    if (greeting == NULL)
        greeting = PyUnicode_InternFromString("hello");
    return Py_XNewRef(greeting);
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
