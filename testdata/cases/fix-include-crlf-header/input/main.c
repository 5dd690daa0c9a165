/* Tests: the runtime include inserted at the top of a header that has
 * none ends its line as the header's lines do, not as the including .c
 * file's: a CRLF header, and a CRLF header that starts with a byte order
 * mark (kept first). The .c file itself is LF. */
#include <Python.h>
#include "keywords.h"
#include "marked.h"

static PyObject *
kw(PyObject *self, PyObject *arg)
{
    long which = PyLong_AsLong(arg);
    PyObject *a = keyword_for(which);
    if (a == NULL)
        return NULL;
    Py_DECREF(a);
    return marked_for(which);
}

static PyMethodDef methods[] = {
    {"kw", kw, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "crlf_header", NULL, 0, methods
};

PyMODINIT_FUNC
PyInit_crlf_header(void)
{
    return PyModuleDef_Init(&def);
}
