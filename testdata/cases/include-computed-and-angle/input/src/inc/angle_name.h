/* Part of include-computed-and-angle: a lazy cache in a header that the
 * other module includes with angle brackets, found only through -Isrc/inc. */
#ifndef ANGLE_NAME_H
#define ANGLE_NAME_H
#include <Python.h>

static inline PyObject *
compat_name(void)
{
    static PyObject *name = NULL; /*~ OV401 name */
    if (name == NULL) {
        name = PyUnicode_InternFromString("name");
        if (name == NULL)
            return NULL;
    }
    return Py_NewRef(name);
}
#endif
