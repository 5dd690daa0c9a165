/* The statics are declared here and set in loader.c, which this file
 * includes (the backend is built as one translation unit). */
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, unpickler); /*~ OV101 unpickler */
static PyObject *default_flags; /*~ OV301 default_flags */

#include "loader.c"

PyObject *
backend_unpickler(void)
{
    return get_unpickler();
}
