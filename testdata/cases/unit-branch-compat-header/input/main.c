/* Tests: a vendored pythoncapi_compat.h-like header declares one static in
 * both branches of a version test; the module that includes it gets two
 * sites, each with its own branch's evidence and fix, in the header. */
#include <Python.h>
#include "pythoncapi_compat.h"

static PyObject *
now(PyObject *self, PyObject *unused)
{
#if PY_VERSION_HEX < 0x030D0000
    return Compat_PerfCounterObject();
#else
    return PyObject_CallNoArgs(self);
#endif
}

static PyMethodDef compat_methods[] = {
    {"now", now, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef compat_module = {
    PyModuleDef_HEAD_INIT, "compat", NULL, 0, compat_methods,
};

PyMODINIT_FUNC
PyInit_compat(void)
{
    return PyModuleDef_Init(&compat_module);
}
