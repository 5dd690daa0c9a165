/* Tests: guard through a pointer to the static:
 *     PyObject **slot = &v; if (!*slot) *slot = f();
 * The static `v` is the site -> OV101.  The local `slot` is not. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, warn_category);   /*~ OV101 warn_category */

static int
deprecated(const char *msg)
{
    PyObject **slot = &Py_ONCEVAR(warn_category);

    if (!*slot) {
        *slot = PyErr_NewException("mymod.MyDeprecationWarning",
                                   PyExc_DeprecationWarning, NULL);
        if (!*slot) {
            return -1;
        }
    }
    return PyErr_WarnEx(*slot, msg, 1);
}
