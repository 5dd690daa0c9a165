/* move_template.c: the template, never built. */
#include "template.h"
#include "only_templates.h"

static PyObject *
move_call(PyObject *self, PyObject *args)
{
    PyObject *empty = get_empty();
    if (empty == NULL) {
        return NULL;
    }
    return slow("move", args);
}

static PyMethodDef methods[] = {
    {"move", move_call, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "move_template", NULL, -1, methods
};

PyMODINIT_FUNC
PyInit_move_template(void)
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
