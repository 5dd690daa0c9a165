/* Included on the first line of first.c, after its byte order mark. */
#include <Python.h>

static PyObject *first_cache = NULL; /*~ OV101 first_cache */
