#ifndef JSON_UTIL_H
#define JSON_UTIL_H
#include <Python.h>
PyObject *get_json(void);
#endif
