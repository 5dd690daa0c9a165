/* Tests: a file with CRLF (\r\n) line endings.  Line numbers and byte
 * offsets must still be right, and the site is found as usual. -> OV101 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, crlf_newline);   /*~ OV101 crlf_newline */

static PyObject *
get_newline(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(crlf_newline) == NULL) {
        Py_ONCEVAR(crlf_newline) = PyUnicode_FromString("\r\n");
        if (Py_ONCEVAR(crlf_newline) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR(crlf_newline));
}

static PyObject *crlf_unused = NULL;

static int
is_unused(PyObject *o)
{
    return o == crlf_unused;
}
