/* Part of fix-header-inline-helpers: the extension's raise helpers,
 * static inline, one handing on to the other. */
#ifndef HI_RAISE_H
#define HI_RAISE_H
#include <Python.h>

static inline PyObject *
hi_raise(const char *message)
{
    PyErr_SetString(PyExc_ValueError, message);
    return NULL;
}

static inline int
hi_raise_int(const char *message)
{
    hi_raise(message);
    return -1;
}
#endif
