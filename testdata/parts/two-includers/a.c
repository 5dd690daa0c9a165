#include <Python.h>
#include "part.h"

static int
a_clear(PyObject *m)
{
    Py_CLEAR(dumps_name);
    return 0;
}
