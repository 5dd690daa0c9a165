/* Tests: truthy early return `if (v) return v;` followed by the
 * assignment -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
get_dot(void)
{
    static PyObject *dot;   /*~ OV101 dot */

    if (dot)
        return dot;
    dot = PyUnicode_InternFromString(".");
    return dot;
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
