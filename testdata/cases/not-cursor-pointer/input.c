/* Tests (look-alike, no finding): a static "current" cursor into a buffer,
 * reset under a NULL guard but advanced on every call.  It is reassigned
 * repeatedly, so it is state, not a cache. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static char arena[1024];
static char *current = NULL;

static char *
arena_take(size_t n)
{
    if (current == NULL) {
        current = arena;
    }
    if ((size_t)(arena + sizeof(arena) - current) < n) {
        current = arena;
    }
    char *p = current;
    current += n;
    return p;
}

static PyObject *
take(PyObject *self, PyObject *owner)
{
    char *p = arena_take(8);
    return PyLong_FromSsize_t(p - arena);
}
