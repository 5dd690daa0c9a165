/* reduce_template.c: the template, never built. */
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
    PyModuleDef_HEAD_INIT, "reduce_template", NULL, -1, methods
};

PyMODINIT_FUNC
PyInit_reduce_template(void)
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

static PyObject *template_only = NULL; /*~ OV101 template_only */

static PyObject *
template_get(void)
{
    if (template_only == NULL) {
        template_only = PyUnicode_FromString("t");
    }
    return template_only;
}
