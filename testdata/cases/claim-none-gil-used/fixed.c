/* Tests: slots that claim nothing (Py_MOD_GIL_USED,
 * Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED, a claim constant in a comment
 * or a string) -> the usual warning. Mentioning
 * {Py_mod_gil, Py_MOD_GIL_NOT_USED} in a comment is no claim. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_multiple_interpreters 3
#define Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED ((void *)0)
#define Py_mod_gil 4
#define Py_MOD_GIL_USED ((void *)0)
#endif

static const char *doc = "not Py_MOD_PER_INTERPRETER_GIL_SUPPORTED";
Py_ONCEVAR_DECLARE(PyObject *, zero);   /*~ OV101 zero */

static PyObject *
get_zero(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(zero) == NULL) {
        Py_ONCEVAR(zero) = PyLong_FromLong(0);
    }
    return Py_XNewRef(Py_ONCEVAR(zero));
}

static PyMethodDef plain_methods[] = {
    {"get_zero", get_zero, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot plain_slots[] = {
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_USED},
    {0, NULL},
};

static struct PyModuleDef plain_module = {
    PyModuleDef_HEAD_INIT, "plain", NULL, 0, plain_methods, plain_slots,
};

PyMODINIT_FUNC
PyInit_plain(void)
{
    (void)doc;
    return PyModuleDef_Init(&plain_module);
}
