/* Tests: a borrowed reference that reaches the cache through a local
 * (`found = PyDict_GetItemString(...); ...; sep = found;`) is still
 * borrowed: the owning slot must take a strong one (`Py_XNewRef(found)`),
 * or the runtime would release a reference it never had at exit. A local
 * made strong with `Py_INCREF` before the store is stored as it is. */
#include <Python.h>
#include "oncevar.h"

static PyObject *
separator(PyObject *self, PyObject *options)
{
    Py_ONCEVAR_DECLARE(PyObject *, sep);   /*~ OV101 sep */
    if (Py_ONCEVAR(sep) == NULL) {
        PyObject *found;
        found = PyDict_GetItemString(options, "sep");
        if (found == NULL)
            return NULL;
        Py_ONCEVAR(sep) = Py_XNewRef(found);
    }
    return Py_NewRef(Py_ONCEVAR(sep));
}

static PyObject *
terminator(PyObject *self, PyObject *options)
{
    Py_ONCEVAR_DECLARE(PyObject *, end);   /*~ OV101 end */
    if (!Py_ONCEVAR(end)) {
        PyObject *item = PyTuple_GetItem(options, 0);
        if (!item)
            return NULL;
        Py_INCREF(item);
        if (PyUnicode_Check(item))
            Py_ONCEVAR(end) = (PyObject *)item;
        else
            Py_DECREF(item);
    }
    return Py_XNewRef(Py_ONCEVAR(end));
}

static PyObject *
opener(PyObject *self, PyObject *options)
{
    Py_ONCEVAR_DECLARE(PyObject *, open_);   /*~ OV101 open_ */
    PyObject *made = PyUnicode_FromString("(");
    if (made == NULL)
        return NULL;
    if (Py_ONCEVAR(open_) == NULL)
        Py_ONCEVAR(open_) = made;
    else
        Py_DECREF(made);
    return Py_NewRef(Py_ONCEVAR(open_));
}
