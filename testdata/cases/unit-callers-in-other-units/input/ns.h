/* The extension's namespacing macro: the helper's name is pasted. */
#ifndef NS_H
#define NS_H
#include <Python.h>
#define NS(n) xu_##n
int NS(add_errors)(PyObject *m);
#endif
