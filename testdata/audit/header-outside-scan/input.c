/* Only this file is scanned: its headers are outside the scan, but they
 * are compiled into the module, so what they hold blocks it all the same
 * (a header's fix is unsafe: it would edit a file outside the scan). */
#include <Python.h>
#include "types.h"
#include "cache.h"

static int
hdr_exec(PyObject *module)
{
    if (PyType_Ready(&Header_Type) < 0) {
        return -1;
    }
    return PyModule_AddType(module, &Header_Type);
}

static PyObject *
get(PyObject *self, PyObject *unused)
{
    return get_cached();
}

static PyMethodDef hdr_methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot hdr_slots[] = {
    {Py_mod_exec, hdr_exec},
    {0, NULL},
};

static struct PyModuleDef hdr_module = {
    PyModuleDef_HEAD_INIT, "hdr", NULL, 0, hdr_methods, hdr_slots,
};

PyMODINIT_FUNC
PyInit_hdr(void) /*~ module hdr multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&hdr_module);
}
/*~ blocks hdr OV502 Header_Type pig */
/*~ blocks hdr OV101 cached both */
