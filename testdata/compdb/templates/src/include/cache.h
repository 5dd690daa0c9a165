/* Found through the build's -Iinclude, reached through template.h. */
#ifndef CACHE_H
#define CACHE_H
#include <Python.h>

static PyObject *empty_tuple = NULL; /*~ OV101 empty_tuple */

static PyObject *
get_empty(void)
{
    if (empty_tuple == NULL) {
        empty_tuple = PyTuple_New(0);
    }
    return empty_tuple;
}
#endif
