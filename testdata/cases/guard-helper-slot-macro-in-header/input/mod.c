/* Tests: the macro that passes the static's address to a slot helper, and
 * the helper, both live in a project header: OV101 as when both are in the
 * file. */
#include <Python.h>
#include "inc/cache.h"

static PyObject *path_cls = NULL; /*~ OV101 path_cls */

static PyObject *
to_path(PyObject *self, PyObject *arg)
{
    if (CACHED_ATTR(path_cls, "pathlib", "Path") < 0)
        return NULL;
    return PyObject_CallOneArg(path_cls, arg);
}
