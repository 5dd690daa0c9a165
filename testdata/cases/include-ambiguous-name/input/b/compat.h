#include <Python.h>

static PyObject *
compat_b(void)
{
    static PyObject *value_b = NULL; /*~ OV101 value_b */
    if (value_b == NULL) {
        value_b = PyUnicode_FromString("b");
    }
    return Py_XNewRef(value_b);
}
