/* Tests: once-per-process fills decided in a project header: a routine
 * handed to C11 call_once through the header's macro (the fill two calls
 * below it), and a bit of a state word the header's macros read and set.
 * A lazy fill in a method that no flag decides stays safe. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "once.h"

static PyObject *routine_table = NULL; /*~ OV101 routine_table */
static PyObject *bit_table = NULL;     /*~ OV101 bit_table */
static PyObject *plain = NULL;         /*~ OV101 plain */

static void
fill_routine_table(void)
{
    if (routine_table == NULL)
        routine_table = PyDict_New();
}

static void
prepare(void)
{
    fill_routine_table();
}

static void
init_tables(void)
{
    prepare();
}

static PyObject *
lookup(PyObject *self, PyObject *key)
{
    ONCE(init_tables);
    if (NEEDS(BIT_TABLES)) {
        MARK(BIT_TABLES);
        if (bit_table == NULL)
            bit_table = PyDict_New();
    }
    if (plain == NULL && (plain = PyList_New(0)) == NULL)
        return NULL;
    return Py_BuildValue("(OOO)", routine_table, bit_table, plain);
}

static PyMethodDef methods[] = {{"lookup", lookup, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "oncehdr", NULL, 0, methods};
PyMODINIT_FUNC PyInit_oncehdr(void) { return PyModuleDef_Init(&def); }
