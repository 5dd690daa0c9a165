#ifndef SHARED_LAZY_H
#define SHARED_LAZY_H
#include <Python.h>

static inline PyObject *
lazy_module(PyObject **slot, const char *name)
{
    if (*slot == NULL) {
        *slot = PyImport_ImportModule(name);
    }
    return *slot;
}
#endif
