/* The extension's shared C-API header (pygame's shape): every module
 * includes it; it declares the helpers of helper.c and a macro that the
 * modules use to reach them. */
#ifndef COMMON_H
#define COMMON_H
#include <Python.h>

int helper_convert(PyObject *obj, long *out);
PyObject *helper_describe(PyObject *obj);
#define CONVERT(o, p) helper_convert((o), (p))

#endif
