/* A file that may hold a site and does not parse: the first error is the
 * missing operand on line 8, column 26; the site is still found. */
#include <Python.h>

static PyObject *cache = NULL;

static int
broken(void) { return 1 +; }

PyObject *
get_cache(void)
{
    if (cache == NULL) {
        cache = PyDict_New();
    }
    return cache;
}
