/* The exported functions of errors.c and util.c, declared once. */
#ifndef ERRORS_H
#define ERRORS_H
#include <Python.h>
int errors_init(PyObject *m);
PyObject *make_error_class(void);
PyObject *raise_bad(void);
#endif
