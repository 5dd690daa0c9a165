/* A template part: one static and its getter per SUFFIX. */
static PyObject *CAT(cache_, SUFFIX) = NULL;    /*~ OV101 cache_a */ /*~ OV101 cache_b */

static PyObject *
CAT(get_, SUFFIX)(void)
{
    if (CAT(cache_, SUFFIX) == NULL) {
        CAT(cache_, SUFFIX) = PyUnicode_FromString("v");
        if (CAT(cache_, SUFFIX) == NULL)
            return NULL;
    }
    return CAT(cache_, SUFFIX);
}
