/* Tests: a release through a cast, `Py_XDECREF((PyObject *)v); v = NULL;`,
 * counts as a release: OV102. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyTypeObject *record_type = NULL;   /*~ OV102 record_type */

static PyObject *
make_record(PyObject *self, PyObject *args)
{
    if (record_type == NULL) {
        PyObject *collections = PyImport_ImportModule("collections");
        if (collections == NULL) {
            return NULL;
        }
        record_type = (PyTypeObject *)PyObject_CallMethod(
            collections, "namedtuple", "ss", "Record", "key value");
        Py_DECREF(collections);
        if (record_type == NULL) {
            return NULL;
        }
    }
    return PyObject_CallObject((PyObject *)record_type, args);
}

static int
module_clear(PyObject *module)
{
    Py_XDECREF((PyObject *)record_type);
    record_type = NULL;
    return 0;
}
