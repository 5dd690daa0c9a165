/* Tests: as main.c, with CRLF line ends: the made name maps back to its
 * place on its own line. */
#include <Python.h>
#include "names.h"

static PyObject *CAT(crlf_, cache) = NULL;  /*~ OV101 crlf_cache */

static PyObject *
get_crlf(PyObject *self, PyObject *unused)
{
    if (CAT(crlf_, cache) == NULL) {
        CAT(crlf_, cache) = PyUnicode_FromString("c");
        if (CAT(crlf_, cache) == NULL)
            return NULL;
    }
    return Py_NewRef(CAT(crlf_, cache));
}
