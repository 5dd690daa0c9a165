/* Tests: guard comparing against integer zero, `if (v == 0)`, with a
 * `= NULL` declaration -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *one_half = NULL;   /*~ OV101 one_half */

static PyObject *
halve(PyObject *self, PyObject *x)
{
    if (one_half == 0) {
        one_half = PyFloat_FromDouble(0.5);
        if (one_half == 0) {
            return 0;
        }
    }
    return PyNumber_Multiply(x, one_half);
}
