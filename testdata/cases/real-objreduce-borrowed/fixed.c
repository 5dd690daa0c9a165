/* Tests (realistic, modelled on object.__reduce_ex__): a block-scope static
 * caching a BORROWED reference to object.__reduce__ taken straight from the
 * base type's tp_dict, used to detect whether a class overrides
 * __reduce__.  Borrowed or not, it is a lazily-initialised object
 * pointer -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

static int
overrides_reduce(PyObject *obj)
{
    Py_ONCEVAR_DECLARE(PyObject *, base_reduce);   /*~ OV101 base_reduce */

    if (Py_ONCEVAR(base_reduce) == NULL) {
        /* borrowed: tp_dict keeps it alive */
        Py_ONCEVAR(base_reduce) = Py_XNewRef(PyDict_GetItemString(PyBaseObject_Type.tp_dict, "__reduce__"));
        if (Py_ONCEVAR(base_reduce) == NULL) {
            PyErr_SetString(PyExc_RuntimeError, "object.__reduce__ missing");
            return -1;
        }
    }
    PyObject *cls_reduce = PyObject_GetAttrString((PyObject *)Py_TYPE(obj), "__reduce__");
    if (cls_reduce == NULL) {
        return -1;
    }
    int res = (cls_reduce != Py_ONCEVAR(base_reduce));
    Py_DECREF(cls_reduce);
    return res;
}

static PyObject *
has_custom_reduce(PyObject *self, PyObject *obj)
{
    int r = overrides_reduce(obj);
    if (r < 0) {
        return NULL;
    }
    return PyBool_FromLong(r);
}
