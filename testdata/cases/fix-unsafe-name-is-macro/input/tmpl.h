/* A template part: no include guard on purpose, included once per
 * instance, each under its own CACHE_NAME. */
static PyObject *CACHE_NAME = NULL;     /*~ OV101 cache_a */ /*~ OV101 cache_b */

static PyObject *
CACHE_GET(void)
{
    if (CACHE_NAME == NULL)
        CACHE_NAME = PyUnicode_FromString(CACHE_TEXT);
    return CACHE_NAME;
}
