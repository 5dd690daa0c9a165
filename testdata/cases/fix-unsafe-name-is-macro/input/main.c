/* Tests: a static whose declared name is a macro gets no safe fix (unity-
 * split v7): a template header included twice, under `#define CACHE_NAME
 * cache_a` then `cache_b`, declares two statics, and a rewrite of the one
 * declaration oncevar reads made `_Py_oncevar_t_CACHE_NAME`, which does
 * not compile; the file's own `#define STATE_CACHE state_cache_impl` too
 * (a site named `state_cache_impl`, the name the compiler declares).
 * A static of a plain name keeps its safe fix. The template is read once
 * per #include, each time under its macros: two sites, cache_a and
 * cache_b (before one reading per #include: one site, `CACHE_NAME`, and
 * cache_b missed). */
#include <Python.h>

#define CACHE_NAME cache_a
#define CACHE_GET get_a
#define CACHE_TEXT "alpha"
#include "tmpl.h"
#undef CACHE_NAME
#undef CACHE_GET
#undef CACHE_TEXT

#define CACHE_NAME cache_b
#define CACHE_GET get_b
#define CACHE_TEXT "beta"
#include "tmpl.h"
#undef CACHE_NAME
#undef CACHE_GET
#undef CACHE_TEXT

#define STATE_CACHE state_cache_impl

static PyObject *STATE_CACHE = NULL;    /*~ OV101 state_cache_impl */
static PyObject *plain = NULL;          /*~ OV101 plain */

static PyObject *
both(PyObject *self, PyObject *unused)
{
    PyObject *a = get_a(), *b = get_b();
    if (!a || !b)
        return NULL;
    if (STATE_CACHE == NULL && (STATE_CACHE = PyDict_New()) == NULL)
        return NULL;
    if (plain == NULL && (plain = PyList_New(0)) == NULL)
        return NULL;
    return PyTuple_Pack(4, a, b, STATE_CACHE, plain);
}
