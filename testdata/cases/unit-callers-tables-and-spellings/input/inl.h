#include <Python.h>
/* A static inline helper of a header: internal linkage, each unit has its
 * own copy; no unit calls it. */
static PyObject *inline_cache = NULL;  /*~ OV101 inline_cache */

static inline PyObject *
inline_get(void)
{
    if (inline_cache == NULL)
        inline_cache = PyDict_New();
    return inline_cache;
}
