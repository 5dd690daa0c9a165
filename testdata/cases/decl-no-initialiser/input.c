/* Tests: file-scope `static PyObject *v;` with no initialiser at all (zero
 * by C rules), lazily filled under `if (v == NULL)` -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *json_loads;   /*~ OV101 json_loads */

static PyObject *
parse_config(PyObject *self, PyObject *text)
{
    if (json_loads == NULL) {
        PyObject *json = PyImport_ImportModule("json");
        if (json == NULL) {
            return NULL;
        }
        json_loads = PyObject_GetAttrString(json, "loads");
        Py_DECREF(json);
        if (json_loads == NULL) {
            return NULL;
        }
    }
    return PyObject_CallOneArg(json_loads, text);
}
