/* Tests: a module that claims to run without the GIL includes its header
 * through a macro of its own (`#include COMPAT_HEADER` with `#define
 * COMPAT_HEADER "computed_clock.h"`), which the compiler finds only through
 * -Isrc/inc. The include is read as the quoted name it expands to: without
 * the flag the one scanned file of that name is taken to be it (the fix
 * says so in a note), so the header's cache is OV401 and published, as with
 * a quoted include (include-linked-by-name). */
#include <Python.h>
#define COMPAT_HEADER "computed_clock.h"
#include COMPAT_HEADER

#if PY_VERSION_HEX < 0x030D0000
#  define Py_mod_gil 0
#  define Py_MOD_GIL_NOT_USED NULL
#endif

static PyObject *
call(PyObject *self, PyObject *unused)
{
    return compat_clock();
}

static PyMethodDef methods[] = {
    {"call", call, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "clock_mod", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_clock_mod(void)
{
    return PyModuleDef_Init(&def);
}
