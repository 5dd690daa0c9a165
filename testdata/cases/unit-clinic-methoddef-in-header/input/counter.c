/* Tests: methods written with Argument Clinic: the method table names
 * each method through a `METHODDEF` macro of the generated header, whose
 * body is a whole entry (`{"zero", (PyCFunction)counter_zero, ...},`), and
 * the wrapper calls the `_impl` function. Each function the entry names
 * is a method, so a counter written in an `_impl` is written while the
 * module runs (OV402, against the module's claim of an own GIL), and the
 * lazy statics of the `_impl` functions keep their safe fixes. */
#include <Python.h>

static PyObject *empty_tuple = NULL;  /*~ OV101 empty_tuple */
static PyObject *zero_long = NULL;    /*~ OV101 zero_long */
static long calls;                    /*~ OV402 calls */

#include "clinic/counter.c.h"

static PyObject *
counter_empty_impl(PyObject *module)
{
    if (empty_tuple == NULL) {
        empty_tuple = PyTuple_New(0);
    }
    return Py_XNewRef(empty_tuple);
}

static PyObject *
counter_zero_impl(PyObject *module)
{
    calls++;
    if (zero_long == NULL) {
        zero_long = PyLong_FromLong(0);
    }
    return Py_XNewRef(zero_long);
}

static PyMethodDef counter_methods[] = {
    COUNTER_EMPTY_METHODDEF
    COUNTER_ZERO_METHODDEF
    {NULL, NULL, 0, NULL}
};

static PyModuleDef_Slot counter_slots[] = {
#ifdef Py_mod_multiple_interpreters
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
    {0, NULL}
};

static struct PyModuleDef counter_module = {
    PyModuleDef_HEAD_INIT, "counter", NULL, 0, counter_methods, counter_slots
};

PyMODINIT_FUNC
PyInit_counter(void)
{
    return PyModuleDef_Init(&counter_module);
}
