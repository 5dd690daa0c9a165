/* Tests: one `static inline` slot helper of a header that two translation
 * units include, each with its own static: OV101 in each unit. */
#include <Python.h>
#include "inc/lazy.h"

static PyObject *alpha_mod; /*~ OV101 alpha_mod */

static PyObject *
alpha(PyObject *self, PyObject *unused)
{
    return Py_XNewRef(lazy_module(&alpha_mod, "string"));
}
