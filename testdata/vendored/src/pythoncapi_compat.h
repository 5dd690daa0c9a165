/* Stands for the bundled pythoncapi_compat.h: not vendored, since its
 * helpers are compiled into the module that includes it. */
#ifndef COMPAT_H
#define COMPAT_H
static PyObject *compat_cache = NULL;       /*~ OV101 compat_cache */

static inline PyObject *
compat_cached(void)
{
    if (compat_cache == NULL) {
        compat_cache = PyUnicode_FromString("compat");
    }
    return compat_cache;
}
#endif
