/* Tests: a `Py_DECREF` of the cache on an error path (followed by a
 * `return NULL` or a `goto error`) does not give the reference away: the
 * key stays owning (Py_ONCEVAR_DECLARE), and the fix's reason says why. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *version_tuple = NULL;   /*~ OV101 version_tuple */

static PyObject *
version(PyObject *self, PyObject *unused)
{
    if (version_tuple == NULL) {
        version_tuple = Py_BuildValue("(iii)", 1, 2, 3);
        if (version_tuple == NULL) {
            return NULL;
        }
        if (PyErr_WarnEx(PyExc_DeprecationWarning, "version() is old", 1) < 0) {
            Py_DECREF(version_tuple);
            goto error;
        }
    }
    return Py_NewRef(version_tuple);
error:
    return NULL;
}
