#ifndef CACHE_H
#define CACHE_H
#include <Python.h>

static inline int
cache_attr(PyObject **slot, const char *module, const char *attribute)
{
    PyObject *mod;

    if (*slot)
        return 0;
    mod = PyImport_ImportModule(module);
    if (!mod)
        return -1;
    *slot = PyObject_GetAttrString(mod, attribute);
    Py_DECREF(mod);
    return *slot ? 0 : -1;
}

#define CACHED_ATTR(var, module, attribute) \
    cache_attr(&(var), (module), (attribute))
#endif
