/* Built with a strict warning set, every warning an error (the unit's
 * command in compile_commands.json.in): the fixed file, which includes the
 * runtime header, must still compile, so its fix is verified. */
#include <Python.h>

PyObject *get_colon(void);

static PyObject *colon = NULL; /*~ OV101 colon */

PyObject *get_colon(void)
{
    if (colon == NULL) {
        colon = PyUnicode_FromString(": ");
    }
    return colon;
}
