/* Tests: a template part whose only static is named through CAT(), read
 * once per #include under another SUFFIX (breaker s11 unity-split v1):
 * cache_a and cache_b. Before: no site (the unit was pruned away as
 * holding none). */
#include <Python.h>
#include "names.h"

#define SUFFIX a
#include "tmpl.h"
#undef SUFFIX
#define SUFFIX b
#include "tmpl.h"
#undef SUFFIX

static PyObject *
both(PyObject *self, PyObject *unused)
{
    PyObject *x = get_a(), *y = get_b();
    if (!x || !y)
        return NULL;
    return PyTuple_Pack(2, x, y);
}
