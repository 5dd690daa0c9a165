/* Tests: a module that claims to run without the GIL includes its header
 * with angle brackets (`#include <angle_name.h>`), which the compiler
 * finds only through -Isrc/inc. Without that flag the one scanned file of
 * that name is taken to be it (the fix says so in a note), so the header's
 * cache is OV401 and published, as with a quoted include
 * (include-linked-by-name). An angle-bracket include that names no file of
 * the project and no header of this machine (`<fastlib/fastlib.h>`, a
 * library not installed) is the library's, no project code: it changes
 * nothing. */
#include <Python.h>
#include <angle_name.h>
#ifdef HAVE_FASTLIB
#include <fastlib/fastlib.h>
#endif

#if PY_VERSION_HEX < 0x030D0000
#  define Py_mod_gil 0
#  define Py_MOD_GIL_NOT_USED NULL
#endif

static PyObject *
call(PyObject *self, PyObject *unused)
{
    return compat_name();
}

static PyMethodDef methods[] = {
    {"call", call, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "name_mod", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_name_mod(void)
{
    return PyModuleDef_Init(&def);
}
