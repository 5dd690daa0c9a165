/* The static is released in a header of an include folder (`-I inc`),
 * which a scan of this file does not rewrite: its fix, which would leave
 * the header naming a variable that no longer exists, is shown only, even
 * with --unsafe-fixes. */
#include <Python.h>
static PyObject *cache = NULL; /* ~ OV102 cache */
#include "release.h"

static PyObject *
get_cache(void)
{
    if (cache == NULL) {
        cache = PyUnicode_InternFromString("cache");
    }
    return cache;
}
