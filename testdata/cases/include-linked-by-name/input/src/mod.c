/* Tests: a module includes "clock_compat.h", which lives in src/inc/ and is
 * found by the compiler only through -Isrc/inc. Without that flag the one
 * scanned file of that name is taken to be it (the fix says so in a note):
 * the module's claim to run without the GIL reaches the header's cache,
 * which is OV401 and published with Py_ONCEVAR_SET. The header's own
 * quoted includes that name CPython's headers ("Python.h") or sit in a
 * branch no build compiles are not looked for. */
#include <Python.h>
#include "clock_compat.h"
#include "inc/sub/names.h"
#if 0
#include "never_built.h"
#endif

/* as packages do, so that it builds with older Pythons too */
#if PY_VERSION_HEX < 0x030D0000
#  define Py_mod_gil 0
#  define Py_MOD_GIL_NOT_USED NULL
#endif

static PyObject *
py_clock(PyObject *self, PyObject *unused)
{
    return compat_clock();
}

static PyMethodDef methods[] = {
    {"clock", py_clock, METH_NOARGS, NULL},
    {"name", compat_name, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "mod", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_mod(void)
{
    return PyModuleDef_Init(&def);
}
