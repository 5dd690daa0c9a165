#ifndef AGREE_COMMON_H
#define AGREE_COMMON_H

#include <Python.h>

static PyObject *empty_tuple = NULL; /*~ OV101 empty_tuple */

static PyObject *
common_empty_tuple(void)
{
    if (empty_tuple == NULL) {
        empty_tuple = PyTuple_New(0);
    }
    return empty_tuple;
}

#endif
