/* Tests: a site that caches a borrowed reference to a static type and a
 * borrowed item: the fix stores strong references (Py_XNewRef, cast back to
 * the declared type), because the slot is released at exit. */
#include <Python.h>

static PyTypeObject *list_type = NULL;   /*~ OV101 list_type */
static PyObject *first_path = NULL;      /*~ OV101 first_path */

static PyObject *
make_list(void)
{
    if (list_type == NULL) {
        list_type = &PyList_Type;
    }
    return PyObject_CallNoArgs((PyObject *)list_type);
}

static PyObject *
get_first_path(void)
{
    if (first_path == NULL) {
        PyObject *path = PySys_GetObject("path");
        if (path == NULL || !PyList_Check(path) || PyList_GET_SIZE(path) == 0) {
            Py_RETURN_NONE;
        }
        first_path = PyList_GET_ITEM(path, 0);
    }
    return Py_NewRef(first_path);
}
