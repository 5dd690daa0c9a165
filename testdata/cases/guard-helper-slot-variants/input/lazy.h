/* The project's slot helpers, in a header: one tests and fills its
 * slot as `slot[0]`, one takes `void *` and copies it into a typed
 * local, one names its parameter after a comment and `const`. */
#ifndef LAZY_H
#define LAZY_H

static PyObject *
lazy_attr(PyObject **slot, const char *module, const char *name)
{
    if (slot[0] == NULL) {
        PyObject *m = PyImport_ImportModule(module);
        if (m == NULL)
            return NULL;
        slot[0] = PyObject_GetAttrString(m, name);
        Py_DECREF(m);
    }
    return slot[0];
}

static int
lazy_dict(void *where)
{
    PyObject **typed = (PyObject **)where;
    if (*typed == NULL)
        *typed = PyDict_New();
    return *typed == NULL ? -1 : 0;
}

static int
lazy_list(PyObject ** /* out */ const slot)
{
    if (*slot)
        return 0;
    *slot = PyList_New(0);
    return *slot ? 0 : -1;
}

#endif
