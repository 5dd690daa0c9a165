/* A header two units include with quotes (found through their -Iinclude).
 * Its site's fix compiles in src/full.c but not in src/limited.c, which is
 * built with -DPy_LIMITED_API (the runtime needs the full C API): the fix
 * is refused, and the header stays as it is. */
#ifndef SHARED_H
#define SHARED_H
#include <Python.h>

static PyObject *shared_names = NULL; /*~ OV101 shared_names */

static inline PyObject *
get_shared_names(void)
{
    if (shared_names == NULL) {
        shared_names = PyDict_New();
    }
    return shared_names;
}

#endif
