/* Module ly calls only util_version: ok (it was blocked by all three). */
#include <Python.h>
#include "util.h"

static PyObject *
call(PyObject *self, PyObject *unused)
{
    return PyUnicode_FromString(util_version());
}

static PyMethodDef methods[] = {{"call", call, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot slots[] = {{0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "ly", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_ly(void) /*~ module ly multi-phase pig=ok ft=ok */
{
    return PyModuleDef_Init(&def);
}
