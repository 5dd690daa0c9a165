/* Tests: the same static declared in both branches of `#ifdef`/`#else`.
 * Only one branch is compiled, but both declarations are the site and
 * both are lazily initialised by the same guard -> OV101 on each. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

#ifdef MS_WINDOWS
Py_ONCEVAR_DECLARE(PyObject *, path_sep);   /*~ OV101 path_sep */
#define PATH_SEP_STR "\\"
#else
Py_ONCEVAR_DECLARE(PyObject *, path_sep);          /*~ OV101 path_sep */
#define PATH_SEP_STR "/"
#endif

static PyObject *
join2(PyObject *a, PyObject *b)
{
    if (Py_ONCEVAR(path_sep) == NULL) {
        Py_ONCEVAR(path_sep) = PyUnicode_FromString(PATH_SEP_STR);
        if (Py_ONCEVAR(path_sep) == NULL) {
            return NULL;
        }
    }
    PyObject *pair = PyTuple_Pack(2, a, b);
    if (pair == NULL) {
        return NULL;
    }
    PyObject *res = PyUnicode_Join(Py_ONCEVAR(path_sep), pair);
    Py_DECREF(pair);
    return res;
}
