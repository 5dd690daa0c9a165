/* Part of tokens.c, included once: the lazy cache lives here, the module's
 * claims are made in the including file, and hold for the whole unit. */
static PyObject *separator = NULL; /*~ OV401 separator */

static PyObject *
tokens_separator(void)
{
    if (separator == NULL) {
        separator = PyUnicode_FromString(";");
        if (separator == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(separator);
}
