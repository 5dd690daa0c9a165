/* Tests: guard and assignment fused in one condition:
 *     if (v == NULL && (v = f()) == NULL) return NULL;   -> OV101 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *abc_module = NULL;   /*~ OV101 abc_module */

static PyObject *
get_abstractmethod(PyObject *self, PyObject *unused)
{
    if (abc_module == NULL &&
        (abc_module = PyImport_ImportModule("abc")) == NULL) {
        return NULL;
    }
    return PyObject_GetAttrString(abc_module, "abstractmethod");
}
