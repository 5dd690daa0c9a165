/* Tests: the claim to run without the GIL made under `#ifdef Py_mod_gil`
 * inside the slot array (the usual way to keep building for Pythons before
 * 3.13) -> read as a claim: the lazy cache is OV401 with the publication
 * fix, and the file parses (tree-sitter-c takes no directive inside an
 * initializer list; they are read as blanks, both branches kept). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *empty_tuple = NULL;   /*~ OV401 empty_tuple */

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

static PyMethodDef methods[] = {
    {"get_empty", get_empty, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "ifdef_slot", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_ifdef_slot(void)
{
    return PyModuleDef_Init(&def);
}
