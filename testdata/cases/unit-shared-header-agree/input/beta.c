#include "common.h"

static PyObject *
beta_args(void)
{
    PyObject *args = common_empty_tuple();
    Py_XINCREF(args);
    return args;
}
