/* Tests: a multi-phase module whose exec and init functions are defined
 * through macros of a project header (each head built from another
 * macro), and whose slot table names the exec function through one. A
 * static set in the exec function unconditionally is OV301; a lazy cache
 * in a method is OV101 with a safe fix. */
#include <Python.h>
#include "inc/module.h"

static PyObject *defaults;              /*~ OV301 defaults */
static PyObject *empty = NULL;          /*~ OV101 empty */

static PyObject *
get_empty(PyObject *self, PyObject *unused)
{
    if (empty == NULL) {
        empty = PyTuple_New(0);
        if (empty == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(empty);
}

MODULE_EXEC(conf)
{
    defaults = PyDict_New();
    if (defaults == NULL) {
        return -1;
    }
    return PyModule_AddObjectRef(module, "defaults", defaults);
}

static PyMethodDef conf_methods[] = {
    {"get_empty", get_empty, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot conf_slots[] = {
    {Py_mod_exec, EXEC_NAME(conf)},
    {0, NULL},
};

static struct PyModuleDef conf_def = {
    PyModuleDef_HEAD_INIT, "conf", NULL, 0, conf_methods, conf_slots,
};

MODULE_INIT(conf)
{
    return PyModuleDef_Init(&conf_def);
}
