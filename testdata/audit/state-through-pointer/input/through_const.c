/* A file-scope pointer whose only value is the static's address
 * (`*const`, its initialiser): exec sets the static's object through it.
 * Every interpreter's exec overwrites the object the others use: OV404,
 * blocking the own GIL (main gave ok). */
#include <Python.h>
#include "state.h"

static module_state global_state; /*~ OV404 global_state */
static module_state *const gstate = &global_state;

static PyObject *
tc_fail(PyObject *self, PyObject *unused)
{
    PyErr_SetString(gstate->error, "failed");
    return NULL;
}

static int
tc_exec(PyObject *m)
{
    gstate->error = PyErr_NewException("tc.Error", NULL, NULL);
    if (gstate->error == NULL) {
        return -1;
    }
    return PyModule_AddObjectRef(m, "Error", gstate->error);
}

static PyMethodDef tc_methods[] = {
    {"fail", tc_fail, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot tc_slots[] = {
    {Py_mod_exec, tc_exec},
    {0, NULL},
};

static struct PyModuleDef tc_def = {
    PyModuleDef_HEAD_INIT, "tc", NULL, 0, tc_methods, tc_slots,
};

PyMODINIT_FUNC
PyInit_tc(void) /*~ module tc multi-phase pig=blocked ft=ok */
{
    return PyModuleDef_Init(&tc_def);
}
/*~ blocks tc OV404 global_state pig */
