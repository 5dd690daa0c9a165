/* The file that releases the cache includes it two levels up. */
#include <Python.h>
#include "mid/mid.h"

static int
mod_clear(PyObject *m)
{
    Py_CLEAR(dumps_name);
    return 0;
}
