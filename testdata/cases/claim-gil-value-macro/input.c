/* Tests: a no-GIL claim whose constant is an object-like macro of the
 * file ({Py_mod_gil, FT_GIL_SETTING}), chosen under #if, is a claim: the
 * unlocked lazy fill is OV401. */
#include <Python.h>

#if defined(Py_GIL_DISABLED) || PY_VERSION_HEX >= 0x030D0000
#  define FT_GIL_SETTING Py_MOD_GIL_NOT_USED
#else
#  define Py_mod_gil 4
#  define FT_GIL_SETTING ((void *)1)
#endif

static PyObject *pattern = NULL;   /*~ OV401 pattern */

static PyObject *
get_pattern(PyObject *self, PyObject *unused)
{
    if (pattern == NULL) {
        pattern = PyUnicode_FromString("[a-z]+");
        if (pattern == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(pattern);
}

static PyMethodDef value_methods[] = {
    {"get_pattern", get_pattern, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot value_slots[] = {
    {Py_mod_gil, FT_GIL_SETTING},
    {0, NULL},
};

static struct PyModuleDef value_module = {
    PyModuleDef_HEAD_INIT, "valuemacro", NULL, 0, value_methods, value_slots,
};

PyMODINIT_FUNC
PyInit_valuemacro(void)
{
    return PyModuleDef_Init(&value_module);
}
