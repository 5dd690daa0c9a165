/* The module's cache, in a header of its own. */
static PyObject *separator;   /*~ OV401 separator */

static PyObject *
get_separator(void)
{
    if (!separator) {
        separator = PyUnicode_FromString("/");
        if (!separator) {
            return NULL;
        }
    }
    return Py_NewRef(separator);
}
