/* Parses cleanly and holds a site. */
#include <Python.h>

static PyObject *empty;

PyObject *
get_empty(void)
{
    if (!empty) {
        empty = PyTuple_New(0);
    }
    return empty;
}
