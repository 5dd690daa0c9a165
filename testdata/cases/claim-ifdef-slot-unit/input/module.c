/* Tests: a unit whose slot array makes its claims under nested
 * conditionals (`#if PY_VERSION_HEX >= ...` with an `#else`, `# if
 * defined(...)` spelled with a blank after `#`, designated initialisers)
 * and whose cache is in an included header -> the claims are read, and the
 * header's lazy cache is OV401 with the publication fix. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "cache.h"

static PyObject *
sep(PyObject *self, PyObject *unused)
{
    return get_separator();
}

static PyMethodDef methods[] = {
    {"sep", sep, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
# if defined(Py_mod_multiple_interpreters)
    {.slot = Py_mod_multiple_interpreters,
     .value = Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
# endif
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#else
    /* no free-threaded build before 3.13 */
#endif
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "ifdef_unit", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_ifdef_unit(void)
{
    return PyModuleDef_Init(&def);
}
