/* Helpers of the extension, a translation unit of its own, each with a
 * lazy cache (helper_describe's through a static helper it calls): a
 * module that calls one (alpha through the header's macro, beta directly)
 * gets only what that helper reaches. */
#include "common.h"

int
helper_convert(PyObject *obj, long *out)
{
    static PyObject *int_type; /*~ OV101 int_type */
    if (int_type == NULL) {
        int_type = PyObject_GetAttrString(PyImport_AddModule("builtins"), "int");
        if (int_type == NULL) {
            return -1;
        }
    }
    *out = PyLong_AsLong(obj);
    return PyObject_IsInstance(obj, int_type) ? 0 : -1;
}

static PyObject *
repr_of(PyObject *obj)
{
    static PyObject *repr_func; /*~ OV101 repr_func */
    if (repr_func == NULL) {
        repr_func = PyObject_GetAttrString(PyImport_AddModule("builtins"), "repr");
        if (repr_func == NULL) {
            return NULL;
        }
    }
    return PyObject_CallOneArg(repr_func, obj);
}

PyObject *
helper_describe(PyObject *obj)
{
    return repr_of(obj);
}
