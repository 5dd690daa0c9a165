/* A header-only file that nothing in the project includes, and that
 * includes Python.h itself: it stands alone. */
#ifndef LIB_H
#define LIB_H
#include <Python.h>

static PyObject *lib_cache = NULL; /* ~ OV101 lib_cache */

static inline PyObject *
lib_get(void)
{
    if (lib_cache == NULL) {
        lib_cache = PyDict_New();
    }
    return lib_cache;
}
#endif
