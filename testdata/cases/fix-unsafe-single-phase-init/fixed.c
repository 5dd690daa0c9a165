/* Tests: a site set (under a NULL guard) only while a single-phase module
 * initialises. Single-phase init (PyModule_Create) runs once per process:
 * other interpreters get a copy of the module and never run it, so after a
 * rewrite their slot would stay NULL. The fix is unsafe. A lazy cache in an
 * ordinary function of the same module stays safe. */
#include <Python.h>
#include "oncevar.h"

static PyObject *RunError = NULL;   /*~ OV101 RunError */
Py_ONCEVAR_DECLARE(PyObject *, str_run);    /*~ OV101 str_run */

static int
exceptions_init(PyObject *dict)
{
    if (RunError == NULL) {
        RunError = PyErr_NewException("runner.RunError", NULL, NULL);
        if (RunError == NULL) {
            return -1;
        }
    }
    return PyDict_SetItemString(dict, "RunError", RunError);
}

static PyObject *
run(PyObject *self, PyObject *arg)
{
    if (Py_ONCEVAR(str_run) == NULL) {
        Py_ONCEVAR(str_run) = PyUnicode_InternFromString("run");
        if (Py_ONCEVAR(str_run) == NULL) {
            return NULL;
        }
    }
    if (!PyCallable_Check(arg)) {
        PyErr_SetObject(RunError, Py_ONCEVAR(str_run));
        return NULL;
    }
    return PyObject_CallNoArgs(arg);
}

static PyMethodDef runner_methods[] = {
    {"run", run, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef runner_module = {
    PyModuleDef_HEAD_INIT, "runner", NULL, -1, runner_methods,
};

PyMODINIT_FUNC
PyInit_runner(void)
{
    PyObject *m = PyModule_Create(&runner_module);
    if (m == NULL || exceptions_init(PyModule_GetDict(m)) < 0) {
        Py_XDECREF(m);
        return NULL;
    }
    return m;
}
