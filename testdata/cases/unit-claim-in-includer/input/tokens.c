/* Tests: claims made in the including file reach a site in an included
 * part (one translation unit): OV401 at error severity, the claims shown
 * with their own file. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_multiple_interpreters 3
#define Py_MOD_PER_INTERPRETER_GIL_SUPPORTED ((void *)2)
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

#include "tokens_part.h"

static PyObject *
separator_method(PyObject *module, PyObject *unused)
{
    return tokens_separator();
}

static PyMethodDef tokens_methods[] = {
    {"separator", separator_method, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot tokens_slots[] = {
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef tokens_module = {
    PyModuleDef_HEAD_INIT, "tokens", NULL, 0, tokens_methods, tokens_slots,
};

PyMODINIT_FUNC
PyInit_tokens(void)
{
    return PyModuleDef_Init(&tokens_module);
}
