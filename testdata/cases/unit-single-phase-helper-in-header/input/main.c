/* Tests: the static and the helper that fills it live in a header of the
 * translation unit; the single-phase init (written through the Python 2/3
 * compatibility macros, the object-like INITFUNC naming PyInit_hdr) calls
 * the helper through a macro of the header's includer. The fix is unsafe,
 * and its reason names the path. */
#include <Python.h>
#include "errors.h"

#define INITFUNC PyInit_hdr
#define INIT_ERRORS(m) (add_errors(m) < 0)

static PyObject *
parse(PyObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(ParseError, "not text");
        return NULL;
    }
    return Py_NewRef(text);
}

static PyMethodDef hdr_methods[] = {
    {"parse", parse, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef hdr_module = {
    PyModuleDef_HEAD_INIT, "hdr", NULL, -1, hdr_methods,
};

PyMODINIT_FUNC
INITFUNC(void)
{
    PyObject *m = PyModule_Create(&hdr_module);
    if (m == NULL || INIT_ERRORS(m)) {
        Py_XDECREF(m);
        return NULL;
    }
    return m;
}
