/* A module that claims to run without the GIL and includes the compat
 * header bundled under thirdparty/, as pillow does: the header's lazy
 * cache is compiled into this module, so it is reported (OV401) although
 * thirdparty/ is a vendored folder. */
#include <Python.h>
#include "thirdparty/pythoncapi_compat.h"

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

static PyObject *
timer(PyObject *self, PyObject *unused)
{
    PyObject *counter = compat_perf_counter();
    if (counter == NULL) {
        return NULL;
    }
    return PyObject_CallNoArgs(counter);
}

static PyMethodDef nogil_methods[] = {
    {"timer", timer, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot nogil_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef nogil_module = {
    PyModuleDef_HEAD_INIT, "nogil", NULL, 0, nogil_methods, nogil_slots,
};

PyMODINIT_FUNC
PyInit_nogil(void)
{
    return PyModuleDef_Init(&nogil_module);
}
