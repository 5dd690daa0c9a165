/* Tests: guard hidden in a branch-prediction macro defined in this file:
 *     if (UNLIKELY(v == NULL))   -> OV101 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

#if defined(__GNUC__) || defined(__clang__)
#  define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#  define UNLIKELY(x) (x)
#endif

Py_ONCEVAR_DECLARE(PyObject *, nan_obj);   /*~ OV101 nan_obj */

static PyObject *
get_nan(PyObject *self, PyObject *unused)
{
    if (UNLIKELY(Py_ONCEVAR(nan_obj) == NULL)) {
        Py_ONCEVAR(nan_obj) = PyFloat_FromDouble(Py_NAN);
        if (Py_ONCEVAR(nan_obj) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR(nan_obj));
}
