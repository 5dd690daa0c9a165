#include <Python.h>
#include "part.h"

static PyObject *
b_get(void)
{
    return get_dumps_name();
}

static int
b_clear(PyObject *m)
{
    Py_CLEAR(dumps_name);
    return 0;
}
