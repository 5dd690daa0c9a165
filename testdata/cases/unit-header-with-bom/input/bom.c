/* Tests: a header saved with a UTF-8 byte order mark declares the static
 * that this file sets lazily. */
#include <Python.h>
#include "bom_cache.h"

static PyObject *
bom_get(void)
{
    if (bom_cache == NULL) {
        bom_cache = PyUnicode_FromString("bom");
    }
    return bom_cache;
}
