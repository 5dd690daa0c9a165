#include <Python.h>
#include "parts/cache.h"

static void
mod_free(void *m)
{
    Py_XDECREF(dumps_name);
    dumps_name = NULL;
}
