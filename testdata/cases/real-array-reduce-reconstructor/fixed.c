/* Tests (realistic, modelled on the array module's __reduce_ex__): a
 * block-scope static holding a module-level reconstructor function,
 * imported on the first pickle and never released -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

typedef struct {
    PyObject_HEAD
    char typecode;
    PyObject *items;
} ringobject;

static PyObject *
ring_reduce_ex(ringobject *self, PyObject *protocol_obj)
{
    Py_ONCEVAR_DECLARE(PyObject *, ring_reconstructor);   /*~ OV101 ring_reconstructor */
    long protocol = PyLong_AsLong(protocol_obj);

    if (protocol == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (Py_ONCEVAR(ring_reconstructor) == NULL) {
        PyObject *mod = PyImport_ImportModule("ringbuf");
        if (mod == NULL) {
            return NULL;
        }
        Py_ONCEVAR(ring_reconstructor) = PyObject_GetAttrString(mod, "_ring_reconstructor");
        Py_DECREF(mod);
        if (Py_ONCEVAR(ring_reconstructor) == NULL) {
            return NULL;
        }
    }
    if (protocol < 3) {
        return Py_BuildValue("O(CO)", Py_TYPE(self), self->typecode, self->items);
    }
    return Py_BuildValue("O(OCO)", Py_ONCEVAR(ring_reconstructor), Py_TYPE(self),
                         self->typecode, self->items);
}
