#ifndef CLOCK_COMPAT_H
#define CLOCK_COMPAT_H
#include "Python.h"
#include "structmember.h"

static inline PyObject *
compat_clock(void)
{
    static PyObject *clock_fn = NULL; /*~ OV401 clock_fn */
    if (clock_fn == NULL) {
        clock_fn = PyUnicode_FromString("monotonic");
        if (clock_fn == NULL)
            return NULL;
    }
    return Py_NewRef(clock_fn);
}
#endif
