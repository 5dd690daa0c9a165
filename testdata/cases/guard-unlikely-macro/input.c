/* Tests: guard hidden in a branch-prediction macro defined in this file:
 *     if (UNLIKELY(v == NULL))   -> OV101 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if defined(__GNUC__) || defined(__clang__)
#  define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#  define UNLIKELY(x) (x)
#endif

static PyObject *nan_obj = NULL;   /*~ OV101 nan_obj */

static PyObject *
get_nan(PyObject *self, PyObject *unused)
{
    if (UNLIKELY(nan_obj == NULL)) {
        nan_obj = PyFloat_FromDouble(Py_NAN);
        if (nan_obj == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(nan_obj);
}
