/* Tests: a local holds a static's value only after it is copied from it.
 * A test of the local before the copy tests something else (a lookup's
 * result, a parameter): the static written under it is written on every
 * such call, not filled once, so it is no lazy site (the realworld
 * local-test-as-flag input with the copy moved after the store, in several
 * spellings). Controls: a copy before the test, and a copy in a loop that
 * reaches the next iteration's test, are tests of the static. */
#include <Python.h>

static PyObject *
describe(PyObject *self, PyObject *mapping)
{
    static PyObject *last_default = NULL;
    PyObject *found = PyDict_GetItemString(mapping, "name");

    if (!found) {
        last_default = PyUnicode_FromString("anonymous");
        if (last_default == NULL)
            return NULL;
        found = last_default;
    }
    return Py_NewRef(found);
}

static PyObject *
describe_yoda(PyObject *self, PyObject *value)
{
    static PyObject *last_value = NULL;

    if (NULL == value) {
        Py_XSETREF(last_value, PyUnicode_FromString("none"));
        value = last_value;
    }
    return Py_XNewRef(value);
}

static PyObject *
describe_ternary(PyObject *self, PyObject *mapping)
{
    static PyObject *fallback = NULL;
    PyObject *got = PyDict_GetItemString(mapping, "x");

    if (got == NULL) {
        fallback = PyLong_FromLong(0);
        got = fallback ? fallback : Py_None;
    }
    return Py_XNewRef(got);
}

static PyObject *
copied_first(PyObject *self, PyObject *unused)
{
    static PyObject *cache = NULL;   /*~ OV101 cache */
    PyObject *p = cache;

    if (p == NULL) {
        cache = PyDict_New();
        p = cache;
    }
    return Py_XNewRef(p);
}

static PyObject *
copied_in_loop(PyObject *self, PyObject *items)
{
    static PyObject *table = NULL;   /*~ OV101 table */
    PyObject *t = NULL;
    for (int i = 0; i < 2; i++) {
        if (t == NULL)
            table = PyDict_New();
        t = table;
    }
    return Py_XNewRef(t);
}
