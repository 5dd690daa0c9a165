/* Tests: `static PyTypeObject *` (a type imported from another module on
 * first use) under a NULL guard, never released -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyTypeObject *DecimalType = NULL;   /*~ OV101 DecimalType */

static int
is_decimal(PyObject *obj)
{
    if (DecimalType == NULL) {
        PyObject *mod = PyImport_ImportModule("decimal");
        if (mod == NULL) {
            return -1;
        }
        DecimalType = (PyTypeObject *)PyObject_GetAttrString(mod, "Decimal");
        Py_DECREF(mod);
        if (DecimalType == NULL) {
            return -1;
        }
    }
    return PyObject_TypeCheck(obj, DecimalType);
}
