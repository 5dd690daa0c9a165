/* A header with an include guard that includes Python.h itself (so it is
 * self-contained) and holds a file-scope static that mod.c uses. */
#ifndef CACHE_H
#define CACHE_H
#include <Python.h>

static PyObject *cached = NULL; /* ~ OV102 cached */

static inline PyObject *
get_cached(void)
{
    if (cached == NULL) {
        cached = PyDict_New();
    }
    return cached;
}
#endif
