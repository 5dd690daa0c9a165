/* This file defines a macro of its own under a name the runtime header
 * defines too, and its unit is built with -Werror: the fixed file includes
 * the header, the compiler reports the redefinition as an error, so --fix
 * refuses the fix and leaves the file as it is. */
#include <Python.h>

#define Py_ONCEVAR_VERSION "strict.c 2"

static PyObject *separator = NULL; /*~ OV101 separator */

static PyObject *get_separator(void)
{
    if (separator == NULL) {
        separator = PyUnicode_FromString(", ");
    }
    return separator;
}

const char *strict_version(void)
{
    return Py_ONCEVAR_VERSION;
}
