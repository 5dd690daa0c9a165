/* Tests: the module init is spelled through MOD_INIT(name), defined in a
 * project header that holds only macros. A static set there once is
 * reported (OV301, as with the macro in this file), and a lazy exception
 * created in a helper that this single-phase init reaches gets an unsafe
 * fix naming the path. */
#include <Python.h>
#include "inc/compat.h"

static PyObject *loads = NULL;      /*~ OV301 loads */
static PyObject *Error = NULL;      /*~ OV101 Error */

static PyObject *
fail(PyObject *self, PyObject *unused)
{
    PyErr_SetString(Error, "failed");
    return NULL;
}

static PyObject *
load(PyObject *self, PyObject *arg)
{
    return PyObject_CallOneArg(loads, arg);
}

static PyMethodDef methods[] = {
    {"fail", fail, METH_NOARGS, NULL},
    {"load", load, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "module", NULL, -1, methods
};

static int
add_error(PyObject *module)
{
    if (Error == NULL) {
        Error = PyErr_NewException("module.Error", NULL, NULL);
        if (Error == NULL) {
            return -1;
        }
    }
    Py_INCREF(Error);
    return PyModule_AddObject(module, "Error", Error);
}

MOD_INIT(module)
{
    PyObject *module = PyModule_Create(&moduledef);
    PyObject *pickle;
    if (module == NULL) {
        return MOD_ERROR;
    }
    if (add_error(module) < 0) {
        return MOD_ERROR;
    }
    pickle = PyImport_ImportModule("pickle");
    if (pickle == NULL) {
        return MOD_ERROR;
    }
    loads = PyObject_GetAttrString(pickle, "loads");
    Py_DECREF(pickle);
    if (loads == NULL) {
        return MOD_ERROR;
    }
    return MOD_SUCCESS(module);
}
