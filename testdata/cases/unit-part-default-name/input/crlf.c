/* Tests: as mod.c, with CRLF line ends and the default in the #else of
 * `#ifdef KEY`: first_cache, then second_cache. */
#include <Python.h>

#include "other.h"
#define KEY second_cache
#define KEY_GET get_second
#include "other.h"

static PyObject *
both(PyObject *self, PyObject *unused)
{
    PyObject *x = get_first(), *y = get_second();
    if (!x || !y)
        return NULL;
    return PyTuple_Pack(2, x, y);
}
