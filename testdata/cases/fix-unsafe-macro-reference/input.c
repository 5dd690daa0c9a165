/* Tests: a site that a macro body names. The rewrite cannot reach inside
 * the macro, so the fix is unsafe (reported, not applied by --fix). */
#include <Python.h>

static PyObject *json_dumps = NULL;   /*~ OV101 json_dumps */

#define DUMPS(obj) PyObject_CallOneArg(json_dumps, (obj))

static PyObject *
dump(PyObject *module, PyObject *obj)
{
    if (json_dumps == NULL) {
        PyObject *json = PyImport_ImportModule("json");
        if (json == NULL) {
            return NULL;
        }
        json_dumps = PyObject_GetAttrString(json, "dumps");
        Py_DECREF(json);
        if (json_dumps == NULL) {
            return NULL;
        }
    }
    return DUMPS(obj);
}
