/* A project header's thread-local scratch object. */
#ifndef TLS_H
#define TLS_H
#include <Python.h>

static _Thread_local PyObject *header_scratch = NULL; /*~ OV101 header_scratch */

#endif
