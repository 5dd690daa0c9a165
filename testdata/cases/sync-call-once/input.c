/* Tests: in a module without the GIL, guard and write in a C11 call_once
 * callback (named by its address) -> synchronised: OV101, not OV401. The
 * routine runs once per process, so the fix is unsafe: a later interpreter
 * would not fill its own slot (with the fix once safe, `get` returned NULL
 * without an exception in a second sub-interpreter: 3.14's and 3.15's
 * debug builds abort, exit 134). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

#include <threads.h>

static once_flag suffix_flag = ONCE_FLAG_INIT;
static PyObject *suffix;   /*~ OV101 suffix */

static void
make_suffix(void)
{
    if (!suffix) {
        suffix = PyUnicode_FromString(".txt");
    }
}

static PyObject *
get(PyObject *self, PyObject *unused)
{
    call_once(&suffix_flag, &make_suffix);
    return Py_XNewRef(suffix);
}

static PyMethodDef calledonce_methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot calledonce_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef calledonce_module = {
    PyModuleDef_HEAD_INIT, "calledonce", NULL, 0, calledonce_methods, calledonce_slots,
};

PyMODINIT_FUNC
PyInit_calledonce(void)
{
    return PyModuleDef_Init(&calledonce_module);
}
