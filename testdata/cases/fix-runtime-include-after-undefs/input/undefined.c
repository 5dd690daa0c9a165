/* Tests: a header included before Python.h defines lowercase macros
 * (`chunk`, `winner`, `spins`) that the runtime header uses, and the file
 * undefines them after its includes (the breaker's N1,
 * macro-pollution/v6-header-before-python). Right after Python.h they are
 * still defined, so the runtime include goes after the last `#undef`
 * instead, before the first site: the fix is safe. */
#define PY_SSIZE_T_CLEAN
#include "inc/rec.h"
#include <Python.h>
#include <stdio.h>
#undef chunk
#undef winner
#  undef spins

static PyObject *rec_type = NULL;   /*~ OV101 rec_type */

static PyObject *
get_rec_type(PyObject *self, PyObject *unused)
{
    if (rec_type == NULL) {
        rec_type = PyUnicode_FromString("Rec");
        if (rec_type == NULL)
            return NULL;
    }
    return Py_NewRef(rec_type);
}
