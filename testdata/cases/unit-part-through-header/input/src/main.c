/* Tests: unity parts included by a project header, not by the .c
 * (unity-split v15, v20): a CRLF `.inl` part with no `#include` of its
 * own, whose inserted runtime include must end in CRLF too (it took the
 * .c's LF), and a generated `decode.c.in`. Before, neither part was
 * reported. */
#include <Python.h>
#include "parts.h"

static int
mod_clear(PyObject *m)
{
    Py_CLEAR(enc_name);
    return 0;
}

static PyObject *
names(PyObject *self, PyObject *unused)
{
    return PyTuple_Pack(2, get_enc_name(), get_dec_name());
}

static PyMethodDef methods[] = {{"names", names, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "parts2", NULL, 0, methods, NULL, NULL, mod_clear, NULL,
};
PyMODINIT_FUNC PyInit_parts2(void) { return PyModuleDef_Init(&def); }
