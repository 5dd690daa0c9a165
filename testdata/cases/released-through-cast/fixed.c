/* Tests: a release through a cast, `Py_XDECREF((PyObject *)v); v = NULL;`,
 * counts as a release: OV102. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyTypeObject *, record_type);   /*~ OV102 record_type */

static PyObject *
make_record(PyObject *self, PyObject *args)
{
    if (Py_ONCEVAR(record_type) == NULL) {
        PyObject *collections = PyImport_ImportModule("collections");
        if (collections == NULL) {
            return NULL;
        }
        Py_ONCEVAR(record_type) = (PyTypeObject *)PyObject_CallMethod(
            collections, "namedtuple", "ss", "Record", "key value");
        Py_DECREF(collections);
        if (Py_ONCEVAR(record_type) == NULL) {
            return NULL;
        }
    }
    return PyObject_CallObject((PyObject *)Py_ONCEVAR(record_type), args);
}

static int
module_clear(PyObject *module)
{
    Py_XDECREF((PyObject *)Py_ONCEVAR(record_type));
    Py_ONCEVAR(record_type) = NULL;
    return 0;
}
