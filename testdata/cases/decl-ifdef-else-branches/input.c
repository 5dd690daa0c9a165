/* Tests: the same static declared in both branches of `#ifdef`/`#else`.
 * Only one branch is compiled, but both declarations are the site and
 * both are lazily initialised by the same guard -> OV101 on each. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#ifdef MS_WINDOWS
static PyObject *path_sep = NULL;   /*~ OV101 path_sep */
#define PATH_SEP_STR "\\"
#else
static PyObject *path_sep;          /*~ OV101 path_sep */
#define PATH_SEP_STR "/"
#endif

static PyObject *
join2(PyObject *a, PyObject *b)
{
    if (path_sep == NULL) {
        path_sep = PyUnicode_FromString(PATH_SEP_STR);
        if (path_sep == NULL) {
            return NULL;
        }
    }
    PyObject *pair = PyTuple_Pack(2, a, b);
    if (pair == NULL) {
        return NULL;
    }
    PyObject *res = PyUnicode_Join(path_sep, pair);
    Py_DECREF(pair);
    return res;
}
