/* Tests: an extension module that merely names Py_BUILD_CORE_MODULE (set
 * on the command line by CPython's build) is no core code, even when it
 * includes internal pycore_ headers under it: its fix is safe. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#if defined(Py_BUILD_CORE_MODULE)
#  include "pycore_moduleobject.h"
#endif

static PyObject *separator = NULL;   /*~ OV101 separator */

static PyObject *
get_separator(PyObject *self, PyObject *unused)
{
    if (separator == NULL) {
        separator = PyUnicode_FromString("/");
    }
    return Py_XNewRef(separator);
}
