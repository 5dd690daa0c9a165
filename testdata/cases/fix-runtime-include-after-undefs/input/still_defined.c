/* Tests: as undefined.c, but `spins` is undefined only in an `#ifdef`
 * branch and `winner` never: after the last `#undef` before the site a
 * polluting macro is still defined, so the fix stays unsafe and names
 * them. */
#include "inc/rec.h"
#include <Python.h>
#undef chunk
#ifdef NO_SPINS
#undef spins
#endif

static PyObject *rec_name = NULL;   /*~ OV101 rec_name */

static PyObject *
get_rec_name(PyObject *self, PyObject *unused)
{
    if (rec_name == NULL) {
        rec_name = PyUnicode_FromString("rec");
        if (rec_name == NULL)
            return NULL;
    }
    return Py_NewRef(rec_name);
}
