/* Tests: release by a plain Py_DECREF inside an explicit guarded fini
 * function -> OV102. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, inf_str);   /*~ OV102 inf_str */

static PyObject *
format_inf(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(inf_str) == NULL) {
        Py_ONCEVAR(inf_str) = PyUnicode_FromString("inf");
        if (Py_ONCEVAR(inf_str) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR(inf_str));
}

void
_myformat_fini(void)
{
    if (Py_ONCEVAR(inf_str) != NULL) {
        Py_DECREF(Py_ONCEVAR(inf_str));
        Py_ONCEVAR(inf_str) = NULL;
    }
}
