/* Tests: a borrowed reference that reaches the cache through a local
 * (`found = PyDict_GetItemString(...); ...; sep = found;`) is still
 * borrowed: the owning slot must take a strong one (`Py_XNewRef(found)`),
 * or the runtime would release a reference it never had at exit. A local
 * made strong with `Py_INCREF` before the store is stored as it is. */
#include <Python.h>

static PyObject *
separator(PyObject *self, PyObject *options)
{
    static PyObject *sep = NULL;   /*~ OV101 sep */
    if (sep == NULL) {
        PyObject *found;
        found = PyDict_GetItemString(options, "sep");
        if (found == NULL)
            return NULL;
        sep = found;
    }
    return Py_NewRef(sep);
}

static PyObject *
terminator(PyObject *self, PyObject *options)
{
    static PyObject *end = NULL;   /*~ OV101 end */
    if (!end) {
        PyObject *item = PyTuple_GetItem(options, 0);
        if (!item)
            return NULL;
        Py_INCREF(item);
        if (PyUnicode_Check(item))
            end = (PyObject *)item;
        else
            Py_DECREF(item);
    }
    return Py_XNewRef(end);
}

static PyObject *
opener(PyObject *self, PyObject *options)
{
    static PyObject *open_ = NULL;   /*~ OV101 open_ */
    PyObject *made = PyUnicode_FromString("(");
    if (made == NULL)
        return NULL;
    if (open_ == NULL)
        open_ = made;
    else
        Py_DECREF(made);
    return Py_NewRef(open_);
}
