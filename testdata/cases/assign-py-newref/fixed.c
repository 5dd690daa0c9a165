/* Tests: lazily stored strong reference made with Py_NewRef (the default
 * value comes from a builtin singleton) -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, default_sentinel);   /*~ OV101 default_sentinel */

static PyObject *
get_sentinel(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(default_sentinel) == NULL) {
        Py_ONCEVAR(default_sentinel) = Py_NewRef(Py_Ellipsis);
    }
    return Py_NewRef(Py_ONCEVAR(default_sentinel));
}
