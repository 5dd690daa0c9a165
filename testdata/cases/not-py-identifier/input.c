/* Tests (look-alike, no finding): `_Py_IDENTIFIER(x)` and
 * `_Py_static_string(var, "...")` expand to static _Py_Identifier structs
 * that CPython already manages per interpreter.  They are not pointers and
 * not sites, at file or block scope. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

_Py_IDENTIFIER(close);
_Py_static_string(PyId_dunder_enter, "__enter__");

static PyObject *
close_it(PyObject *self, PyObject *obj)
{
    _Py_IDENTIFIER(flush);
    _Py_static_string(PyId_name, "name");
    PyObject *name = _PyUnicode_FromId(&PyId_name);
    if (name == NULL) {
        return NULL;
    }
    PyObject *r = _PyObject_CallMethodIdNoArgs(obj, &PyId_flush);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    return _PyObject_CallMethodIdNoArgs(obj, &PyId_close);
}

static PyObject *
enter_name(PyObject *self, PyObject *unused)
{
    return Py_XNewRef(_PyUnicode_FromId(&PyId_dunder_enter));
}
