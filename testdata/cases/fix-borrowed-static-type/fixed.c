/* Tests: a site that caches a borrowed reference to a static type and a
 * borrowed item: the fix stores strong references (Py_XNewRef, cast back to
 * the declared type), because the slot is released at exit. */
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyTypeObject *, list_type);   /*~ OV101 list_type */
Py_ONCEVAR_DECLARE(PyObject *, first_path);      /*~ OV101 first_path */

static PyObject *
make_list(void)
{
    if (Py_ONCEVAR(list_type) == NULL) {
        Py_ONCEVAR(list_type) = (PyTypeObject *)Py_XNewRef(&PyList_Type);
    }
    return PyObject_CallNoArgs((PyObject *)Py_ONCEVAR(list_type));
}

static PyObject *
get_first_path(void)
{
    if (Py_ONCEVAR(first_path) == NULL) {
        PyObject *path = PySys_GetObject("path");
        if (path == NULL || !PyList_Check(path) || PyList_GET_SIZE(path) == 0) {
            Py_RETURN_NONE;
        }
        Py_ONCEVAR(first_path) = Py_XNewRef(PyList_GET_ITEM(path, 0));
    }
    return Py_NewRef(Py_ONCEVAR(first_path));
}
