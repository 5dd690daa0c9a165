static PyObject *cached = NULL; /*~ OV101 cached */

static PyObject *
get_cached(void)
{
    if (cached == NULL) {
        cached = PyDict_New();
        if (cached == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(cached);
}
