/* The unit's header: the macro that defines the getter functions. */
#ifndef GETTERS_H
#define GETTERS_H
#include <Python.h>

#define DEFINE_IMPORT(name, mod)                \
    static PyObject *name(void)                 \
    {                                           \
        return PyImport_ImportModule(mod);      \
    }

#endif
