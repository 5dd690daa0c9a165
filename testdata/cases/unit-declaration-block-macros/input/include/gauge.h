/* A header written for C and C++ alike: its declarations sit between
 * declaration-block macros that expand to `extern "C" {` and `}` in C++;
 * the closing one is the header's last line. */
#pragma once

#include <Python.h>

#ifndef GAUGE_BEGIN_DECLS
#define GAUGE_BEGIN_DECLS
#define GAUGE_END_DECLS
#endif

GAUGE_BEGIN_DECLS

typedef struct {
    PyObject_HEAD
    double level;
} GaugeObject;

extern PyTypeObject Gauge_Type;

GAUGE_END_DECLS
