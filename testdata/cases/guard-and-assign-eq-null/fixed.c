/* Tests: guard and assignment fused in one condition:
 *     if (v == NULL && (v = f()) == NULL) return NULL;   -> OV101 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, abc_module);   /*~ OV101 abc_module */

static PyObject *
get_abstractmethod(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(abc_module) == NULL &&
        (Py_ONCEVAR(abc_module) = PyImport_ImportModule("abc")) == NULL) {
        return NULL;
    }
    return PyObject_GetAttrString(Py_ONCEVAR(abc_module), "abstractmethod");
}
