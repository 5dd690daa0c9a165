/* Tests: `static PyTypeObject *` (a type imported from another module on
 * first use) under a NULL guard, never released -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyTypeObject *, DecimalType);   /*~ OV101 DecimalType */

static int
is_decimal(PyObject *obj)
{
    if (Py_ONCEVAR(DecimalType) == NULL) {
        PyObject *mod = PyImport_ImportModule("decimal");
        if (mod == NULL) {
            return -1;
        }
        Py_ONCEVAR(DecimalType) = (PyTypeObject *)PyObject_GetAttrString(mod, "Decimal");
        Py_DECREF(mod);
        if (Py_ONCEVAR(DecimalType) == NULL) {
            return -1;
        }
    }
    return PyObject_TypeCheck(obj, Py_ONCEVAR(DecimalType));
}
