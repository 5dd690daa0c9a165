/* Tests: a quoted include that is on no include path and names no scanned
 * file ("config.h", written by a build that has not run): what it holds is
 * not known (a macro that uses the cache, a release, a module claim), so
 * the fix is unsafe and its reason names the include and how to supply it.
 * The runtime header a fix includes ("oncevar.h") is not looked for. */
#include <Python.h>
#include "config.h"
#include "oncevar.h"

static PyObject *
get_default(PyObject *self, PyObject *unused)
{
    static PyObject *fallback = NULL; /*~ OV101 fallback */
    if (fallback == NULL) {
        fallback = PyUnicode_FromString(DEFAULT_NAME);
        if (fallback == NULL)
            return NULL;
    }
    return Py_NewRef(fallback);
}
