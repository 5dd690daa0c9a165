/* Second translation unit of the teardown test: its own oncevar registry
 * and its own table in each interpreter. */
#include "testutil.h"
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, b_cache);

void b_set(PyObject *obj);
PyObject *b_get(void);

void
b_set(PyObject *obj)
{
    CHECK(Py_ONCEVAR(b_cache) == NULL);
    Py_ONCEVAR(b_cache) = obj;
}

PyObject *
b_get(void)
{
    return Py_ONCEVAR(b_cache);
}
