/* Tests: truthy early return `if (v) return v;` followed by the
 * assignment -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

static PyObject *
get_dot(void)
{
    Py_ONCEVAR_DECLARE(PyObject *, dot);   /*~ OV101 dot */

    if (Py_ONCEVAR(dot))
        return Py_ONCEVAR(dot);
    Py_ONCEVAR(dot) = PyUnicode_InternFromString(".");
    return Py_ONCEVAR(dot);
}

static PyObject *
qualify(PyObject *self, PyObject *args)
{
    PyObject *mod, *name;
    if (!PyArg_ParseTuple(args, "UU", &mod, &name)) {
        return NULL;
    }
    PyObject *dot = get_dot();
    if (dot == NULL) {
        return NULL;
    }
    return PyUnicode_FromFormat("%U%U%U", mod, dot, name);
}
