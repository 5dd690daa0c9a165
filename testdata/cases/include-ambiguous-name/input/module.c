/* Tests: "compat.h" is on no include path and names two scanned files
 * (a/compat.h, b/compat.h): neither is taken to be it. The module's fix is
 * unsafe (what it includes is not known), and so are the fixes of both
 * headers (whether this module's code reaches them is not known). */
#include <Python.h>
#include "compat.h"

static PyObject *
get(PyObject *self, PyObject *unused)
{
    static PyObject *cached = NULL; /*~ OV101 cached */
    if (cached == NULL) {
        cached = PyUnicode_FromString("x");
    }
    return Py_XNewRef(cached);
}
