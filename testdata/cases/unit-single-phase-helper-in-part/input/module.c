/* Tests: a single-phase init (m_size -1) calls a helper defined in a part
 * of the unit that this file includes textually ("errors.part.c"), which
 * calls another helper there that creates the lazy exception: the static
 * is set once per process, so its fix is unsafe and names the path
 * through both helpers. */
#include <Python.h>

static PyObject *PartError = NULL;    /*~ OV101 PartError */

#include "errors.part.c"

static PyObject *
fail(PyObject *self, PyObject *unused)
{
    PyErr_SetString(PartError, "failed");
    return NULL;
}

static PyMethodDef methods[] = {
    {"fail", fail, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "module", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_module(void)
{
    PyObject *module = PyModule_Create(&def);
    if (module == NULL) {
        return NULL;
    }
    if (setup_errors(module) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
