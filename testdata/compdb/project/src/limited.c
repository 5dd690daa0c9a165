/* Nothing in the text says Py_LIMITED_API: the database's -D does, so the
 * fix is unsafe. */
#include <Python.h>

static PyObject *empty_tuple = NULL; /*~ OV101 empty_tuple */

static PyObject *get_empty(void)
{
    if (empty_tuple == NULL) {
        empty_tuple = PyTuple_New(0);
    }
    return empty_tuple;
}
