/* Tests: the function a static's value comes from is defined by a macro
 * that an included header of the unit defines (`DEFINE_IMPORT` in
 * getters.h); ownership reads the expansion: `PyImport_ImportModule` gives
 * a new reference, so the fix is safe. Before: unsafe, "`import_json` is
 * called, a function that is defined neither in this translation unit nor
 * in CPython's reference data". */
#include "getters.h"

DEFINE_IMPORT(import_json, "json")

static PyObject *
json_module(void)
{
    static PyObject *json = NULL;               /*~ OV101 json */
    if (json == NULL) {
        json = import_json();
    }
    return json;
}

static PyObject *
get_json(PyObject *self, PyObject *unused)
{
    return Py_XNewRef(json_module());
}

static PyMethodDef methods[] = {
    {"json", get_json, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};
