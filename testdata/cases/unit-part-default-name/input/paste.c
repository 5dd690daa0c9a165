/* Tests: as mod.c, the default spelled `#if !defined(SUFFIX)` and the
 * names made with `##` from it: default_cache, then other_cache. */
#include <Python.h>
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

#include "paste.h"
#undef SUFFIX
#define SUFFIX other
#include "paste.h"

static PyObject *
both(PyObject *self, PyObject *unused)
{
    PyObject *x = get_default(), *y = get_other();
    if (!x || !y)
        return NULL;
    return PyTuple_Pack(2, x, y);
}
