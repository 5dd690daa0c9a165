/* Tests: file-scope `static PyObject *v;` with no initialiser at all (zero
 * by C rules), lazily filled under `if (v == NULL)` -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, json_loads);   /*~ OV101 json_loads */

static PyObject *
parse_config(PyObject *self, PyObject *text)
{
    if (Py_ONCEVAR(json_loads) == NULL) {
        PyObject *json = PyImport_ImportModule("json");
        if (json == NULL) {
            return NULL;
        }
        Py_ONCEVAR(json_loads) = PyObject_GetAttrString(json, "loads");
        Py_DECREF(json);
        if (Py_ONCEVAR(json_loads) == NULL) {
            return NULL;
        }
    }
    return PyObject_CallOneArg(Py_ONCEVAR(json_loads), text);
}
