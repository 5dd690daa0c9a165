/* The module claims to run without the GIL only where the build is
 * free-threaded, the documented spelling. Built against a GIL build's
 * headers (../branches/python312) the claim's branch is not compiled: the
 * site is OV101 with its plain fix, and a note names the claim. Built for a
 * free-threaded CPython (python313t) the cache races, and its block uses the
 * object after storing it, so no fix is safe there (OV401). */
#include <Python.h>

static PyObject *table = NULL; /*~ OV101 table */

static PyObject *
get_table(PyObject *self, PyObject *unused)
{
    if (table == NULL) {
        table = PyDict_New();
        if (table == NULL) {
            return NULL;
        }
        if (PyDict_SetItemString(table, "k", Py_None) < 0) {
            return NULL;
        }
    }
    return Py_NewRef(table);
}

static PyMethodDef slot_methods[] = {
    {"get_table", get_table, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
slot_exec(PyObject *m)
{
    return 0;
}

static PyModuleDef_Slot slot_slots[] = {
    {Py_mod_exec, slot_exec},
#ifdef Py_GIL_DISABLED
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef slot_module = {
    PyModuleDef_HEAD_INIT, "slot_ifdef", NULL, 0, slot_methods, slot_slots,
};

PyMODINIT_FUNC
PyInit_slot_ifdef(void)
{
    return PyModuleDef_Init(&slot_module);
}
