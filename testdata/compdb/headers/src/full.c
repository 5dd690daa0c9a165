/* Includes the shared header; has a site of its own, whose fix is verified
 * together with the header's (the unit reaches both). */
#include "shared.h"

static PyObject *full_cache = NULL; /*~ OV101 full_cache */

static PyObject *get_full(void)
{
    if (full_cache == NULL) {
        full_cache = get_shared_names();
        Py_XINCREF(full_cache);
    }
    return full_cache;
}
