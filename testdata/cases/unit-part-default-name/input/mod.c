/* Tests: a template part that gives its own name a default (`#ifndef
 * NAME` / `#define NAME default_cache` / `#endif`), included first with
 * the default, then under `#define NAME other_cache` (issue 18, breaker s11
 * U2): two statics, default_cache and other_cache, each read with the
 * macros of its own reading. Before: one site named `NAME` (the default
 * looked like an include guard, so the second #include read nothing, and
 * a definition under #ifndef was not known). Each fix is unsafe (one text,
 * two variables). */
#include <Python.h>

#include "part.h"
#undef NAME
#undef GETTER
#define NAME other_cache
#define GETTER get_other
#include "part.h"

static PyObject *
both(PyObject *self, PyObject *unused)
{
    PyObject *x = get_default(), *y = get_other();
    if (!x || !y)
        return NULL;
    return PyTuple_Pack(2, x, y);
}
