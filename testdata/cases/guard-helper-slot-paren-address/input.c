/* Tests: a slot helper given the static's address inside parentheses,
 * `ensure(&(cache))` (how a macro's `&(var)` reads expanded by hand),
 * fills it as `ensure(&cache)` does: the prefilter counts `&(v)` as a
 * write and an argument whose address goes, and the guard in the helper
 * decides. A parenthesised value that is not an address is no write. */
#include <Python.h>

static int
ensure(PyObject **slot, long v)
{
    if (*slot == NULL) {
        *slot = PyLong_FromLong(v);
        if (*slot == NULL)
            return -1;
    }
    return 0;
}

static PyObject *
get(PyObject *self, PyObject *unused)
{
    static PyObject *cache = NULL;   /*~ OV101 cache */
    if (ensure(&(cache), 1) < 0)
        return NULL;
    return Py_NewRef(cache);
}

static PyObject *shared = NULL;      /*~ OV101 shared */

static PyObject *
get_shared(PyObject *self, PyObject *unused)
{
    if (ensure(&(shared), 2) < 0)
        return NULL;
    return Py_NewRef((shared));
}
