#ifndef AGREE_COMMON_H
#define AGREE_COMMON_H

#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, empty_tuple); /*~ OV101 empty_tuple */

static PyObject *
common_empty_tuple(void)
{
    if (Py_ONCEVAR(empty_tuple) == NULL) {
        Py_ONCEVAR(empty_tuple) = PyTuple_New(0);
    }
    return Py_ONCEVAR(empty_tuple);
}

#endif
