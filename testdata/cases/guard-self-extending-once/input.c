/* Tests: inside the once-block, the static is extended from itself
 * (`v = concat(prefix, v)`): still that one initialisation, OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *search_path = NULL;   /*~ OV101 search_path */

static PyObject *
get_search_path(PyObject *self, PyObject *unused)
{
    if (search_path == NULL) {
        PyObject *root = PyUnicode_FromString("/usr/share/");
        if (root == NULL) {
            return NULL;
        }
        search_path = PyUnicode_FromString("plugins");
        if (search_path == NULL) {
            Py_DECREF(root);
            return NULL;
        }
        search_path = PyUnicode_Concat(root, search_path);
        Py_DECREF(root);
        if (search_path == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(search_path);
}
