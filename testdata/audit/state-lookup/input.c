/* A multi-phase module that finds itself with PyState_FindModule: with
 * slots it gets NULL. Once as a call, once through a macro of the file. */
#include <Python.h>

typedef struct {
    PyObject *cache;
} state;

static struct PyModuleDef look_module;

#define GET_STATE() ((state *)PyModule_GetState(PyState_FindModule(&look_module))) /*~ OV504 PyState_FindModule */

static PyObject *
look_get(PyObject *self, PyObject *unused)
{
    PyObject *m = PyState_FindModule(&look_module); /*~ OV504 PyState_FindModule */
    if (m == NULL) {
        return NULL;
    }
    return Py_NewRef(GET_STATE()->cache);
}

static PyMethodDef look_methods[] = {
    {"get", look_get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
look_exec(PyObject *m)
{
    ((state *)PyModule_GetState(m))->cache = PyDict_New();
    return 0;
}

static PyModuleDef_Slot look_slots[] = {
    {Py_mod_exec, look_exec},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED}, /*~ contradicted look Py_MOD_PER_INTERPRETER_GIL_SUPPORTED */
    {0, NULL},
};

static struct PyModuleDef look_module = {
    PyModuleDef_HEAD_INIT, "look", NULL, sizeof(state), look_methods, look_slots,
};

PyMODINIT_FUNC
PyInit_look(void) /*~ module look multi-phase pig=blocked ft=ok */
{
    return PyModuleDef_Init(&look_module);
}
