#include "first_part.h"
/* Tests: saved with a byte order mark, this file includes its part on
 * the first line: compilers skip the mark, so the include is read. */

static PyObject *
first_get(void)
{
    if (first_cache == NULL) {
        first_cache = PyUnicode_FromString("first");
    }
    return first_cache;
}
