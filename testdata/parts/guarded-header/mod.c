#include "cache.h"

static int
mod_clear(PyObject *m)
{
    Py_CLEAR(cached);
    return 0;
}
