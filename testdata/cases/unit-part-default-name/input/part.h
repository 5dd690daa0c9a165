#ifndef NAME
#define NAME default_cache
#define GETTER get_default
#endif

static PyObject *NAME = NULL;   /*~ OV101 default_cache */ /*~ OV101 other_cache */

static PyObject *
GETTER(void)
{
    if (NAME == NULL) {
        NAME = PyList_New(0);
        if (NAME == NULL)
            return NULL;
    }
    return NAME;
}
