/* Tests: inside the once-block, the static is extended from itself
 * (`v = concat(prefix, v)`): still that one initialisation, OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, search_path);   /*~ OV101 search_path */

static PyObject *
get_search_path(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(search_path) == NULL) {
        PyObject *root = PyUnicode_FromString("/usr/share/");
        if (root == NULL) {
            return NULL;
        }
        Py_ONCEVAR(search_path) = PyUnicode_FromString("plugins");
        if (Py_ONCEVAR(search_path) == NULL) {
            Py_DECREF(root);
            return NULL;
        }
        Py_ONCEVAR(search_path) = PyUnicode_Concat(root, Py_ONCEVAR(search_path));
        Py_DECREF(root);
        if (Py_ONCEVAR(search_path) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR(search_path));
}
