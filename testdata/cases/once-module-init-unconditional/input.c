/* Tests: a static exception object set unconditionally in PyInit_*.  The
 * `if (v == NULL)` right after the assignment is an error check, not a lazy
 * guard, so this is "set once during module init" -> OV301. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *ParseError;   /*~ OV301 ParseError */

static PyObject *
fail(PyObject *self, PyObject *msg)
{
    PyErr_SetObject(ParseError, msg);
    return NULL;
}

static PyMethodDef parser_methods[] = {
    {"fail", fail, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef parsermodule = {
    PyModuleDef_HEAD_INIT, "parser", NULL, -1, parser_methods,
};

PyMODINIT_FUNC
PyInit_parser(void)
{
    PyObject *m = PyModule_Create(&parsermodule);
    if (m == NULL) {
        return NULL;
    }
    ParseError = PyErr_NewException("parser.ParseError", PyExc_ValueError, NULL);
    if (ParseError == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "ParseError", ParseError) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
