/* Part of include-computed-and-angle: a lazy cache in a header that the
 * module reaches through a computed include, found only through -Isrc/inc. */
#ifndef COMPUTED_CLOCK_H
#define COMPUTED_CLOCK_H
#include <Python.h>

static inline PyObject *
compat_clock(void)
{
    static PyObject *clock_fn = NULL; /*~ OV401 clock_fn */
    if (clock_fn == NULL) {
        PyObject *mod = PyImport_ImportModule("time");
        if (mod == NULL)
            return NULL;
        clock_fn = PyObject_GetAttrString(mod, "monotonic");
        Py_DECREF(mod);
        if (clock_fn == NULL)
            return NULL;
    }
    return PyObject_CallNoArgs(clock_fn);
}
#endif
