/* Built with -Werror=cast-qual, which the runtime header does not pass:
 * the fix breaks this unit, so --fix refuses it and leaves the file as it
 * is. */
#include <Python.h>

static PyObject *separator = NULL; /*~ OV101 separator */

PyObject *get_separator(void)
{
    if (separator == NULL) {
        separator = PyUnicode_FromString(", ");
    }
    return separator;
}
