/* Tests: inverted guard with early return:
 *     if (v != NULL) return v;  v = ...;
 * The assignment after the early return is the lazy initialisation -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, default_context);   /*~ OV101 default_context */

static PyObject *
get_default_context(void)
{
    if (Py_ONCEVAR(default_context) != NULL) {
        return Py_ONCEVAR(default_context);
    }
    PyObject *ctx = PyDict_New();
    if (ctx == NULL) {
        return NULL;
    }
    if (PyDict_SetItemString(ctx, "prec", Py_None) < 0) {
        Py_DECREF(ctx);
        return NULL;
    }
    Py_ONCEVAR(default_context) = ctx;
    return Py_ONCEVAR(default_context);
}
