/* Tests: a comment over continued lines inside a `#define`'s body, with
 * more of the body after it, is one blank for the preprocessor; for
 * tree-sitter-c it ended the body (a syntax error in the file). Read as
 * blanks line by line, its line splices kept, the macro parses and the
 * file has no parse error. The site's error exits leave through it.
 * `dropped` is cleared in such a macro's body: it was read as code
 * outside any function (OV102, released) and is now the macro's
 * (OV101: a clear on an error path is no release; unsafe fix). */
#include <Python.h>

#define FAIL_NULL() do { \
        /* the caller has set the error; \
           if it has not, SystemError */ \
        return NULL; \
    } while (0)

static PyObject *commented = NULL;      /*~ OV101 commented */

static PyObject *
fourth(PyObject *self, PyObject *arg)
{
    if (commented == NULL) {
        commented = PyUnicode_FromString("d");
        if (commented == NULL)
            FAIL_NULL();
        if (PyErr_WarnEx(PyExc_UserWarning, "first", 1) < 0) {
            Py_CLEAR(commented);
            FAIL_NULL();
        }
    }
    return PyTuple_Pack(2, commented, arg);
}

static PyObject *dropped = NULL;        /*~ OV101 dropped */

#define DROP() do { \
        /* rebuilt \
           on the next call */ \
        Py_CLEAR(dropped); \
    } while (0)

static PyObject *
fifth(PyObject *self, PyObject *arg)
{
    if (dropped == NULL) {
        dropped = PyUnicode_FromString("e");
        if (dropped == NULL)
            return NULL;
        if (PyErr_WarnEx(PyExc_UserWarning, "second", 1) < 0) {
            DROP();
            return NULL;
        }
    }
    return PyTuple_Pack(2, dropped, arg);
}
