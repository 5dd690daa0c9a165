/* Tests (malformed on purpose, does not compile): a stray extra `}` after
 * one function and a function left unclosed at the end of the file.  The
 * well-formed site between them is still found -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

static PyObject *
noop(PyObject *self, PyObject *unused)
{
    Py_RETURN_NONE;
}
}

Py_ONCEVAR_DECLARE(PyObject *, utf8_name);   /*~ OV101 utf8_name */

static PyObject *
get_utf8_name(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(utf8_name) == NULL) {
        Py_ONCEVAR(utf8_name) = PyUnicode_FromString("utf-8");
        if (Py_ONCEVAR(utf8_name) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR(utf8_name));
}

static PyObject *
unfinished(PyObject *self, PyObject *arg)
{
    if (PyLong_Check(arg)) {
        return PyNumber_Add(arg, arg);
    
    Py_RETURN_NONE;
