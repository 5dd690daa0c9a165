/* Tests: file-scope `static PyObject *v = NULL;` lazily filled under an
 * `if (v == NULL)` guard and never released -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, empty_tuple_cache);   /*~ OV101 empty_tuple_cache */

static PyObject *
get_empty_args(PyObject *module, PyObject *unused)
{
    if (Py_ONCEVAR(empty_tuple_cache) == NULL) {
        Py_ONCEVAR(empty_tuple_cache) = PyTuple_New(0);
        if (Py_ONCEVAR(empty_tuple_cache) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR(empty_tuple_cache));
}

static PyMethodDef methods[] = {
    {"get_empty_args", get_empty_args, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "filescope", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_filescope(void)
{
    return PyModule_Create(&moduledef);
}
