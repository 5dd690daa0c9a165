/* Controls. A static pointer that exec points at the module's own state
 * (PyModule_GetState) is no alias of a static: what is written through it
 * is that module's, not process-wide (the pointer itself is memory set at
 * init, no blocker). A pointer set to a static's address and to another
 * value is not followed (its target is not known), and a static that only
 * its initialiser names is not written. */
#include <Python.h>

typedef struct {
    PyObject *error;
} own_state;

static own_state spare;
static own_state *current;
static own_state *either = &spare;

static PyObject *
tu_fail(PyObject *self, PyObject *unused)
{
    PyErr_SetString(current->error, "failed");
    return NULL;
}

static int
tu_exec(PyObject *m)
{
    current = (own_state *)PyModule_GetState(m);
    current->error = PyErr_NewException("tu.Error", NULL, NULL);
    either = current;
    return current->error == NULL ? -1 : 0;
}

static PyMethodDef tu_methods[] = {
    {"fail", tu_fail, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot tu_slots[] = {
    {Py_mod_exec, tu_exec},
    {0, NULL},
};

static struct PyModuleDef tu_def = {
    PyModuleDef_HEAD_INIT, "tu", NULL, sizeof(own_state), tu_methods, tu_slots,
};

PyMODINIT_FUNC
PyInit_tu(void) /*~ module tu multi-phase pig=ok ft=ok */
{
    return PyModuleDef_Init(&tu_def);
}
