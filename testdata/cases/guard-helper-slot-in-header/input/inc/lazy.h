#ifndef LAZY_H
#define LAZY_H
#include <Python.h>

static int fill_attr(PyObject **slot, const char *module, const char *attribute);

static inline PyObject *
lazy_import(PyObject **slot, const char *name)
{
    if (!*slot)
        *slot = PyImport_ImportModule(name);
    return *slot;
}

/* Hands the slot on to the file's fill_attr, which tests it. */
static inline int
lazy_attr(PyObject **slot, const char *module, const char *attribute)
{
    return fill_attr(slot, module, attribute);
}

static inline void
lazy_builtin(PyObject **slot, const char *name)
{
    if (*slot == NULL)
        *slot = PyDict_GetItemString(PyEval_GetBuiltins(), name);
}
#endif
