#ifndef DISAGREE_COMMON_H
#define DISAGREE_COMMON_H

#include <Python.h>

static PyObject *default_sep = NULL; /*~ OV101 default_sep */

static PyObject *
common_default_sep(void)
{
    if (default_sep == NULL) {
        default_sep = PyUnicode_FromString(",");
    }
    return default_sep;
}

#endif
