/* Tests: a comment before `#` on a directive's line is white space, so
 * the compiler reads this `#include` and the header's static is set here,
 * in the same translation unit. */
#include <Python.h>
/* the shared cache */ #include "codec_cache.h"

static PyObject *
codec_lookup(void)
{
    if (codec_registry == NULL) {
        codec_registry = PyDict_New();
    }
    return codec_registry;
}
