/* Stands for the bundled pythoncapi_compat.h: vendored by its name. */
#ifndef COMPAT_H
#define COMPAT_H
static PyObject *compat_cache = NULL;       /*~ vendored OV101 compat_cache */

static inline PyObject *
compat_cached(void)
{
    if (compat_cache == NULL) {
        compat_cache = PyUnicode_FromString("compat");
    }
    return compat_cache;
}
#endif
