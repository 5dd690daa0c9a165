/* Included by backend.c; never compiled alone. */

static PyObject *
get_unpickler(void)
{
    if (Py_ONCEVAR(unpickler) == NULL) {
        PyObject *pickle = PyImport_ImportModule("pickle");
        if (pickle == NULL) {
            return NULL;
        }
        Py_ONCEVAR(unpickler) = PyObject_GetAttrString(pickle, "Unpickler");
        Py_DECREF(pickle);
    }
    return Py_ONCEVAR(unpickler);
}

static int
backend_exec(PyObject *module)
{
    default_flags = PyLong_FromLong(3);
    return default_flags == NULL ? -1 : 0;
}
