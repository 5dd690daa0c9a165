/* A project header's incref wrappers: a cast in the argument at each
 * level, three levels deep, and a static inline helper that takes a
 * reference to its argument and hands it back. */
#ifndef KEEP_H
#define KEEP_H
#include <Python.h>

#define KEEP_REF(o) Py_INCREF(o)
#define KEEP(o) KEEP_REF((PyObject *)(o))
#define RETAIN_OBJ(o) do { KEEP(((PyObject *)(o))); } while (0)
#define PIN(o) RETAIN_OBJ((o))

static inline PyObject *
hold_ref(PyObject *o)
{
    Py_XINCREF(o);
    return o;
}

#define LOG_OBJ(o) ((void)(o))

#ifdef Py_DEBUG
#define MAYBE_KEEP(o) KEEP(o)
#else
#define MAYBE_KEEP(o) LOG_OBJ(o)
#endif
#endif
