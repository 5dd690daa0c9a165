/* Branches this build does not compile that make no claim: a macro
 * defined there (not expanded), a comment and a string naming the
 * constant, and a slot entry under `#if 0`, which no build compiles. The
 * lazy cache keeps the plain fix of a module with the GIL. */
#include <Python.h>

#ifdef Py_GIL_DISABLED
#  define FT_VALUE Py_MOD_GIL_NOT_USED
/* {Py_mod_gil, Py_MOD_GIL_NOT_USED} */
static const char ft_note[] = "{Py_mod_gil, Py_MOD_GIL_NOT_USED}";
#endif

static PyObject *plain = NULL; /*~ OV101 plain */

static PyObject *
get_plain(PyObject *self, PyObject *unused)
{
    if (plain == NULL) {
        plain = PyUnicode_FromString("plain");
        if (plain == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(plain);
}

static PyMethodDef plain_methods[] = {
    {"get_plain", get_plain, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
plain_exec(PyObject *m)
{
    return 0;
}

static PyModuleDef_Slot plain_slots[] = {
    {Py_mod_exec, plain_exec},
#if 0
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef plain_module = {
    PyModuleDef_HEAD_INIT, "no_claim", NULL, 0, plain_methods, plain_slots,
};

PyMODINIT_FUNC
PyInit_no_claim(void)
{
    return PyModuleDef_Init(&plain_module);
}
