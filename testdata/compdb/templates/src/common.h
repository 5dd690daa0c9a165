/* Shared by the generated units the build compiles (move.c, reduce.c) and
 * the templates they are generated from (*_template.c), which the build
 * never compiles: bottleneck's bottleneck.h. */
#ifndef COMMON_H
#define COMMON_H
#include <Python.h>

static PyObject *slow_module = NULL; /*~ OV101 slow_module */

static PyObject *
slow(const char *name, PyObject *args)
{
    PyObject *func, *res;
    if (slow_module == NULL) {
        slow_module = PyImport_ImportModule("json");
        if (slow_module == NULL) {
            return NULL;
        }
    }
    func = PyObject_GetAttrString(slow_module, name);
    if (func == NULL) {
        return NULL;
    }
    res = PyObject_Call(func, args, NULL);
    Py_DECREF(func);
    return res;
}
#endif
