/* Tests: a single-phase module whose init function is written through a
 * function-like macro (`MODULE_ENTRY(name)` expanding to `PyMODINIT_FUNC
 * PyInit_##name(void)`), as code built for Python 2 and 3 alike does. A
 * site set only there is set once per process, like in a plain PyInit_
 * function: the fix is unsafe. A lazy cache in an ordinary function stays
 * safe. */
#include <Python.h>

#define MODULE_ENTRY(name) PyMODINIT_FUNC PyInit_##name(void)
#define MODULE_CREATE(var, def) var = PyModule_Create(def)

static PyObject *no_args = NULL;    /*~ OV101 no_args */
static PyObject *str_call = NULL;   /*~ OV101 str_call */

static PyObject *
call_twice(PyObject *self, PyObject *target)
{
    PyObject *first;
    if (str_call == NULL) {
        str_call = PyUnicode_InternFromString("__call__");
        if (str_call == NULL) {
            return NULL;
        }
    }
    first = PyObject_Call(target, no_args, NULL);
    if (first == NULL) {
        return NULL;
    }
    Py_DECREF(first);
    return PyObject_CallMethodObjArgs(target, str_call, NULL);
}

static PyMethodDef twice_methods[] = {
    {"call_twice", call_twice, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef twice_module = {
    PyModuleDef_HEAD_INIT, "twice", NULL, -1, twice_methods,
};

MODULE_ENTRY(twice)
{
    PyObject *m;
    MODULE_CREATE(m, &twice_module);
    if (m == NULL) {
        return NULL;
    }
    if (no_args == NULL) {
        no_args = PyTuple_New(0);
        if (no_args == NULL) {
            Py_DECREF(m);
            return NULL;
        }
    }
    return m;
}
