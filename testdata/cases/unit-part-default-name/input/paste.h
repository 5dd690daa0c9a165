#if !defined(SUFFIX)
#define SUFFIX default
#endif

static PyObject *CAT(SUFFIX, _cache) = NULL;    /*~ OV101 default_cache */ /*~ OV101 other_cache */

static PyObject *
CAT(get_, SUFFIX)(void)
{
    if (CAT(SUFFIX, _cache) == NULL)
        CAT(SUFFIX, _cache) = PyDict_New();
    return CAT(SUFFIX, _cache);
}
