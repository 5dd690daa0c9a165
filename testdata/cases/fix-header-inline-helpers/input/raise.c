/* Tests: the error path returns the extension's raise helper, static
 * inline in a project header (`return hi_raise(...)`, NULL; `return
 * hi_raise_int(...)`, -1 through another helper of the header): the
 * released reference was the key's own, so the fixes are safe and
 * owning, not "neither in CPython's reference data nor a function of the
 * unit". */
#include "inc/raise.h"

static PyObject *
tagged(PyObject *self, PyObject *arg)
{
    static PyObject *tag = NULL;  /*~ OV101 tag */

    if (tag == NULL) {
        tag = PyUnicode_FromString("v1");
        if (tag == NULL) {
            return NULL;
        }
        if (PyObject_Length(arg) > 100) {
            Py_DECREF(tag);
            return hi_raise("argument too long");
        }
    }
    return PyTuple_Pack(2, tag, arg);
}

static int
add_sep(PyObject *dict)
{
    static PyObject *sep = NULL;  /*~ OV101 sep */

    if (sep == NULL) {
        sep = PyUnicode_FromString(", ");
        if (sep == NULL) {
            return -1;
        }
        if (PyDict_Size(dict) > 100) {
            Py_DECREF(sep);
            return hi_raise_int("dict too big");
        }
    }
    return PyDict_SetItemString(dict, "sep", sep);
}

static PyObject *
joined(PyObject *self, PyObject *arg)
{
    if (add_sep(arg) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"tagged", tagged, METH_O, NULL},
    {"joined", joined, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "raise", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_raise(void)
{
    return PyModuleDef_Init(&def);
}
