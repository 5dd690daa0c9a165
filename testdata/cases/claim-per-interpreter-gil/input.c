/* Tests: a module that claims support for interpreters with their own GIL
 * (Py_MOD_PER_INTERPRETER_GIL_SUPPORTED) -> its lazy cache is an error,
 * with the claim as a related location. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030C0000   /* stand-ins for older headers */
#define Py_mod_multiple_interpreters 3
#define Py_MOD_PER_INTERPRETER_GIL_SUPPORTED ((void *)2)
#endif

static PyObject *sep_string;   /*~ OV101 sep_string */

static PyObject *
join_words(PyObject *self, PyObject *words)
{
    if (sep_string == NULL) {
        sep_string = PyUnicode_FromString(", ");
        if (sep_string == NULL) {
            return NULL;
        }
    }
    return PyUnicode_Join(sep_string, words);
}

static PyMethodDef words_methods[] = {
    {"join_words", join_words, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static int
words_exec(PyObject *module)
{
    return 0;
}

static PyModuleDef_Slot words_slots[] = {
    {Py_mod_exec, words_exec},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {0, NULL},
};

static struct PyModuleDef words_module = {
    PyModuleDef_HEAD_INIT, "words", NULL, 0, words_methods, words_slots,
};

PyMODINIT_FUNC
PyInit_words(void)
{
    return PyModuleDef_Init(&words_module);
}
