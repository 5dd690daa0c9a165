/* Tests: guard comparing against integer zero, `if (v == 0)`, with a
 * `= NULL` declaration -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, one_half);   /*~ OV101 one_half */

static PyObject *
halve(PyObject *self, PyObject *x)
{
    if (Py_ONCEVAR(one_half) == 0) {
        Py_ONCEVAR(one_half) = PyFloat_FromDouble(0.5);
        if (Py_ONCEVAR(one_half) == 0) {
            return 0;
        }
    }
    return PyNumber_Multiply(x, Py_ONCEVAR(one_half));
}
