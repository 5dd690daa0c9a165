#include "oncevar.h"
/* Part of tokens.c, included once: the lazy cache lives here, the module's
 * claims are made in the including file, and hold for the whole unit. */
Py_ONCEVAR_DECLARE(PyObject *, separator); /*~ OV401 separator */

static PyObject *
tokens_separator(void)
{
    if (Py_ONCEVAR_GET(separator) == NULL) {
        if (Py_ONCEVAR_SET(separator, PyUnicode_FromString(";")) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR(separator));
}
