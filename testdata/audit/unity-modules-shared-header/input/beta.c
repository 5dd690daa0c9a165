/* Module beta: a static type readied in exec (its own blocker), and
 * helper_describe from helper.c; none of alpha's state. */
#include "common.h"

static PyObject *
beta_describe(PyObject *self, PyObject *arg)
{
    return helper_describe(arg);
}

static PyMethodDef beta_type_methods[] = {
    {"describe", beta_describe, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Beta_Type = { /*~ OV502 Beta_Type */
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "beta.Beta",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = beta_type_methods,
    .tp_new = PyType_GenericNew,
};

static int
beta_exec(PyObject *m)
{
    if (PyType_Ready(&Beta_Type) < 0) {
        return -1;
    }
    return PyModule_AddObjectRef(m, "Beta", (PyObject *)&Beta_Type);
}

static PyModuleDef_Slot beta_slots[] = {
    {Py_mod_exec, beta_exec},
    {0, NULL},
};

static struct PyModuleDef beta_module = {
    PyModuleDef_HEAD_INIT, "beta", NULL, 0, NULL, beta_slots,
};

PyMODINIT_FUNC
PyInit_beta(void) /*~ module beta multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&beta_module);
}
/*~ blocks beta OV502 Beta_Type pig */
/*~ blocks beta OV101 repr_func both */
/*~ blocks beta OV101 spare_cache both */
