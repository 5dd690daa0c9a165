/* A vendored library's header: a lazy cache of its own, and the helper
 * the project's unit calls, which returns a new reference. */
#ifndef MINILIB_H
#define MINILIB_H
static PyObject *minilib_cache = NULL;      /*~ vendored OV101 minilib_cache */

static PyObject *
minilib_name(void)
{
    return PyUnicode_FromString("minilib");
}

static PyObject *
minilib_cached(void)
{
    if (minilib_cache == NULL) {
        minilib_cache = PyUnicode_FromString("cached");
    }
    return minilib_cache;
}
#endif
