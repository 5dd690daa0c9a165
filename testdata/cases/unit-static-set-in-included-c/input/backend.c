/* The statics are declared here and set in loader.c, which this file
 * includes (the backend is built as one translation unit). */
#include <Python.h>

static PyObject *unpickler = NULL; /*~ OV101 unpickler */
static PyObject *default_flags; /*~ OV301 default_flags */

#include "loader.c"

static PyObject *
backend_unpickler(void)
{
    return get_unpickler();
}
