/* Tests: Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED (designated initialisers)
 * -> a released lazy cache (OV102) and a set-once static (OV301) are both
 * errors, with the claim as a related location. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

#if PY_VERSION_HEX < 0x030C0000   /* stand-ins for older headers */
#define Py_mod_multiple_interpreters 3
#define Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED ((void *)1)
#endif

Py_ONCEVAR_DECLARE(PyObject *, lookup_table);   /*~ OV102 lookup_table */
static PyObject *TableError;     /*~ OV301 TableError */

static PyObject *
table(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(lookup_table) == NULL) {
        Py_ONCEVAR(lookup_table) = PyDict_New();
    }
    return Py_XNewRef(Py_ONCEVAR(lookup_table));
}

static PyMethodDef table_methods[] = {
    {"table", table, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
table_exec(PyObject *module)
{
    TableError = PyErr_NewException("tables.error", NULL, NULL);
    return TableError == NULL ? -1 : 0;
}

static void
table_free(void *module)
{
    Py_CLEAR(Py_ONCEVAR(lookup_table));
}

static PyModuleDef_Slot table_slots[] = {
    {.slot = Py_mod_exec, .value = table_exec},
    {.slot = Py_mod_multiple_interpreters,
     .value = Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED},
    {0, NULL},
};

static struct PyModuleDef table_module = {
    PyModuleDef_HEAD_INIT, "tables", NULL, 0, table_methods, table_slots,
    NULL, NULL, table_free,
};

PyMODINIT_FUNC
PyInit_tables(void)
{
    return PyModuleDef_Init(&table_module);
}
