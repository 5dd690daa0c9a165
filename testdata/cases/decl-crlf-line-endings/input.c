/* Tests: a file with CRLF (\r\n) line endings.  Line numbers and byte
 * offsets must still be right, and the site is found as usual. -> OV101 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *crlf_newline = NULL;   /*~ OV101 crlf_newline */

static PyObject *
get_newline(PyObject *self, PyObject *unused)
{
    if (crlf_newline == NULL) {
        crlf_newline = PyUnicode_FromString("\r\n");
        if (crlf_newline == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(crlf_newline);
}

static PyObject *crlf_unused = NULL;

static int
is_unused(PyObject *o)
{
    return o == crlf_unused;
}
