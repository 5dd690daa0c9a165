#include <Python.h>
#include "part.h"

static PyObject *
mod_name(void)
{
    return get_name();
}
