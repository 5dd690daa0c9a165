/* Tests: lazily stored strong reference made with Py_NewRef (the default
 * value comes from a builtin singleton) -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *default_sentinel = NULL;   /*~ OV101 default_sentinel */

static PyObject *
get_sentinel(PyObject *self, PyObject *unused)
{
    if (default_sentinel == NULL) {
        default_sentinel = Py_NewRef(Py_Ellipsis);
    }
    return Py_NewRef(default_sentinel);
}
