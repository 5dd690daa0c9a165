/* Tests: a copy of a static reaches a test of the local only if the local
 * is not set again on every path between them. A lookup that sets the
 * local at the top of each iteration (or after the copy), or a local
 * declared anew in the loop, makes the test one of the lookup's result:
 * the static written under it is replaced on every miss, no lazy site (the
 * realworld local-test-as-flag input inside a loop). Controls: a set under
 * an `if` between the copy and the test leaves a path on which the local
 * holds the static (a test of it), and a copy made inside the test itself,
 * `if ((r = cache) == NULL)`, tests the static. */
#include <Python.h>

static PyObject *
describe_all(PyObject *self, PyObject *args)
{
    static PyObject *last_default = NULL;
    PyObject *mapping, *keys, *out, *found;
    Py_ssize_t i, n;

    if (!PyArg_ParseTuple(args, "OO", &mapping, &keys))
        return NULL;
    n = PySequence_Length(keys);
    if (n < 0 || !(out = PyList_New(0)))
        return NULL;
    for (i = 0; i < n; i++) {
        PyObject *key = PySequence_GetItem(keys, i);
        if (key == NULL)
            goto error;
        found = PyDict_GetItem(mapping, key);
        Py_DECREF(key);
        if (!found) {
            Py_XDECREF(last_default);
            last_default = PyUnicode_FromFormat("anonymous-%zd", i);
            if (last_default == NULL)
                goto error;
            found = last_default;
        }
        if (PyList_Append(out, found) < 0)
            goto error;
    }
    return out;
error:
    Py_DECREF(out);
    return NULL;
}

static PyObject *
describe_each(PyObject *self, PyObject *keys)
{
    static PyObject *spare = NULL;
    Py_ssize_t i;

    for (i = 0; i < PyList_GET_SIZE(keys); i++) {
        PyObject *found = NULL;
        if (PyDict_Check(PyList_GET_ITEM(keys, i)))
            found = PyList_GET_ITEM(keys, i);
        if (!found) {
            Py_XSETREF(spare, PyLong_FromSsize_t(i));
            found = spare;
        }
        if (found == NULL)
            return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
describe_again(PyObject *self, PyObject *mapping)
{
    static PyObject *previous = NULL;
    PyObject *found = previous;

    Py_XINCREF(found);
    Py_XDECREF(found);
    found = PyDict_GetItemString(mapping, "name");
    if (found == NULL) {
        Py_XSETREF(previous, PyUnicode_FromString("anonymous"));
        found = previous;
    }
    return Py_XNewRef(found);
}

static PyObject *
maybe_reset(PyObject *self, PyObject *arg)
{
    static PyObject *cache = NULL;   /*~ OV101 cache */
    PyObject *r = cache;

    if (arg == Py_None)
        r = NULL;
    if (r == NULL) {
        r = PyDict_New();
        if (r == NULL)
            return NULL;
        if (cache == NULL)
            cache = Py_NewRef(r);
    }
    return r;
}

static PyObject *
copied_in_test(PyObject *self, PyObject *unused)
{
    static PyObject *table = NULL;   /*~ OV101 table */
    PyObject *r;

    if ((r = table) == NULL) {
        r = PyDict_New();
        if (r == NULL)
            return NULL;
        table = r;
    }
    return Py_NewRef(r);
}
