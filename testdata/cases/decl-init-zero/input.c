/* Tests: declaration initialised with `= 0` instead of `= NULL`; the guard
 * is `!v`.  Still a lazily-initialised object pointer -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *zero_float = 0;   /*~ OV101 zero_float */

static PyObject *
float_zero(PyObject *self, PyObject *unused)
{
    if (!zero_float) {
        zero_float = PyFloat_FromDouble(0.0);
        if (!zero_float) {
            return NULL;
        }
    }
    Py_INCREF(zero_float);
    return zero_float;
}
