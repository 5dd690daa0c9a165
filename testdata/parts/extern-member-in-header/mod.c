/* A static filled under one guard together with a member or an element
 * of a global, or with a global whose address is handed to a call, all
 * declared `extern` in a header that names no static (state.h): the
 * global stays process-wide, so the static's fix alone would have every
 * new interpreter refill it; unsafe. */
#include <Python.h>
#include "state.h"

static PyObject *json = NULL; /* ~ OV101 json */
static PyObject *json2 = NULL; /* ~ OV101 json2 */
static PyObject *parser = NULL; /* ~ OV101 parser */

static PyObject *
get_member(PyObject *self, PyObject *unused)
{
    if (json == NULL) {
        json = PyImport_ImportModule("json");
        if (json == NULL)
            return NULL;
        G.dumps = PyObject_GetAttrString(json, "dumps");
    }
    return Py_XNewRef(G.dumps);
}

static PyObject *
get_element(PyObject *self, PyObject *unused)
{
    if (json2 == NULL) {
        json2 = PyImport_ImportModule("json");
        if (json2 == NULL)
            return NULL;
        arr[1] = PyObject_GetAttrString(json2, "loads");
    }
    return Py_XNewRef(arr[1]);
}

static PyObject *
get_parsed(PyObject *self, PyObject *args)
{
    if (parser == NULL) {
        parser = PyUnicode_FromString("parser");
        if (parser == NULL || !PyArg_ParseTuple(args, "O", &looked))
            return NULL;
    }
    return Py_XNewRef(looked);
}
