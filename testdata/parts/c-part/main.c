/* A unity build whose part is a .c file: names.c holds the cache, this
 * file releases it. */
#include <Python.h>
#include "names.c"

static int
mod_clear(PyObject *m)
{
    Py_CLEAR(loads_name);
    return 0;
}
