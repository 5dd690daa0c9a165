/* Tests: a site in interpreter core code, which includes internal pycore_
 * headers without being an extension module. Such code can run before an
 * interpreter's dict exists or after it is cleared, so the fix is unsafe.
 * (The include is guarded so that the fixture compiles outside CPython.) */
#include <Python.h>
#ifdef Py_BUILD_CORE
#  include "pycore_object.h"
#endif

static PyObject *empty_key = NULL;   /*~ OV101 empty_key */

PyObject *
get_empty_key(void)
{
    if (empty_key == NULL) {
        empty_key = PyUnicode_New(0, 0);
    }
    return empty_key;
}
