/* Tests: a module that claims to run without the GIL ({Py_mod_gil,
 * Py_MOD_GIL_NOT_USED}) -> an unsynchronised lazy cache is OV401, and the
 * common shape (guard, one assignment, NULL check) is fixed with
 * Py_ONCEVAR_SET; a borrowed value is made strong inside it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

static PyObject *empty_tuple;   /*~ OV401 empty_tuple */
static PyObject *path_sep;      /*~ OV401 path_sep */

static PyObject *
get_empty(PyObject *self, PyObject *unused)
{
    if (empty_tuple == NULL) {
        empty_tuple = PyTuple_New(0);
        if (empty_tuple == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(empty_tuple);
}

static PyObject *
get_sep(PyObject *self, PyObject *os_module)
{
    if (!PyModule_Check(os_module)) {   /* PyModule_GetDict would give NULL */
        PyErr_SetString(PyExc_TypeError, "a module is required");
        return NULL;
    }
    if (!path_sep) {
        path_sep = PyDict_GetItemString(PyModule_GetDict(os_module), "sep");
        if (!path_sep) {
            PyErr_SetString(PyExc_KeyError, "sep");
            return NULL;
        }
    }
    return Py_NewRef(path_sep);
}

static PyMethodDef nogil_methods[] = {
    {"get_empty", get_empty, METH_NOARGS, NULL},
    {"get_sep", get_sep, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot nogil_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef nogil_module = {
    PyModuleDef_HEAD_INIT, "nogil", NULL, 0, nogil_methods, nogil_slots,
};

PyMODINIT_FUNC
PyInit_nogil(void)
{
    return PyModuleDef_Init(&nogil_module);
}
