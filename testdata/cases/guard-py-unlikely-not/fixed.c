/* Tests: `if (Py_UNLIKELY(!v))` with Py_UNLIKELY defined in this file
 * (older Python headers do not provide it) -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

#ifndef Py_UNLIKELY
#  if defined(__GNUC__)
#    define Py_UNLIKELY(value) __builtin_expect(!!(value), 0)
#  else
#    define Py_UNLIKELY(value) (value)
#  endif
#endif

Py_ONCEVAR_DECLARE(PyObject *, str_dunder_fspath);   /*~ OV101 str_dunder_fspath */

static PyObject *
call_fspath(PyObject *self, PyObject *obj)
{
    if (Py_UNLIKELY(!Py_ONCEVAR(str_dunder_fspath))) {
        Py_ONCEVAR(str_dunder_fspath) = PyUnicode_InternFromString("__fspath__");
        if (Py_UNLIKELY(!Py_ONCEVAR(str_dunder_fspath))) {
            return NULL;
        }
    }
    return PyObject_CallMethodNoArgs(obj, Py_ONCEVAR(str_dunder_fspath));
}
