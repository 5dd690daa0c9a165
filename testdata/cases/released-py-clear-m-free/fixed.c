/* Tests: a lazily-initialised static that is released with Py_CLEAR in the
 * module's m_free function: cleared at exit, but still shared by every
 * interpreter -> OV102. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, struct_unpack);   /*~ OV102 struct_unpack */

static PyObject *
unpack_u32(PyObject *self, PyObject *data)
{
    if (Py_ONCEVAR(struct_unpack) == NULL) {
        PyObject *st = PyImport_ImportModule("struct");
        if (st == NULL) {
            return NULL;
        }
        Py_ONCEVAR(struct_unpack) = PyObject_GetAttrString(st, "unpack");
        Py_DECREF(st);
        if (Py_ONCEVAR(struct_unpack) == NULL) {
            return NULL;
        }
    }
    return PyObject_CallFunction(Py_ONCEVAR(struct_unpack), "sO", "<I", data);
}

static void
binmod_free(void *module)
{
    Py_CLEAR(Py_ONCEVAR(struct_unpack));
}

static PyMethodDef binmod_methods[] = {
    {"unpack_u32", unpack_u32, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef binmod = {
    PyModuleDef_HEAD_INIT,
    .m_name = "binmod",
    .m_size = 0,
    .m_methods = binmod_methods,
    .m_free = binmod_free,
};

PyMODINIT_FUNC
PyInit_binmod(void)
{
    return PyModuleDef_Init(&binmod);
}
