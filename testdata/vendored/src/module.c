/* The project's unit. It includes a vendored header (vendor/minilib),
 * which is not scanned by default, so its own statics are not reported,
 * but is read as part of this unit, so what it defines still proves this
 * unit's facts (minilib_name() returns a new reference: the fix of `name`
 * is safe); and a bundled pythoncapi_compat.h, which is scanned (its
 * helpers are compiled into this module). */
#include <Python.h>
#include "pythoncapi_compat.h"
#include "../vendor/minilib/minilib.h"

static PyObject *name = NULL;               /*~ OV101 name */

static PyObject *
get_name(PyObject *self, PyObject *unused)
{
    if (name == NULL) {
        name = minilib_name();
        if (name == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(name);
}

static PyObject *
get_other(PyObject *self, PyObject *unused)
{
    return Py_XNewRef(compat_cached());
}

static PyMethodDef methods[] = {
    {"get_name", get_name, METH_NOARGS, NULL},
    {"get_other", get_other, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "vendoring", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_vendoring(void)
{
    return PyModuleDef_Init(&module);
}
