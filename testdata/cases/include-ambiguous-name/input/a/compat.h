#include <Python.h>

static PyObject *
compat_a(void)
{
    static PyObject *value_a = NULL; /*~ OV101 value_a */
    if (value_a == NULL) {
        value_a = PyUnicode_FromString("a");
    }
    return Py_XNewRef(value_a);
}
