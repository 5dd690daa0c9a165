/* Tests: declaration initialised with `= 0` instead of `= NULL`; the guard
 * is `!v`.  Still a lazily-initialised object pointer -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, zero_float);   /*~ OV101 zero_float */

static PyObject *
float_zero(PyObject *self, PyObject *unused)
{
    if (!Py_ONCEVAR(zero_float)) {
        Py_ONCEVAR(zero_float) = PyFloat_FromDouble(0.0);
        if (!Py_ONCEVAR(zero_float)) {
            return NULL;
        }
    }
    Py_INCREF(Py_ONCEVAR(zero_float));
    return Py_ONCEVAR(zero_float);
}
