/* The helpers util.c and sub/fill.c export to the modules. */
#ifndef UTIL_H
#define UTIL_H
#include <Python.h>

typedef PyObject **object_slot;

/* Declared through a macro. */
#define DECLARE_FILLER(name) void name(object_slot slot)

void fetch_attr(const char *modname, const char *attr, PyObject **slot);
void fetch_typed(object_slot slot);
DECLARE_FILLER(fetch_declared);
DECLARE_FILLER(fetch_macro_defined);
void fetch_wrapped(PyObject **slot);
PyObject *show(PyObject **slot);
void drop_slot(PyObject **slot);
void fill_always(PyObject **slot);
void remember(PyObject **slot);
void dup_fill(PyObject **slot);
/* Defined by no file of the tree (a library the modules link with). */
void ext_fill(PyObject **slot);

#endif
