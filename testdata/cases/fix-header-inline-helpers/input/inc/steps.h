/* Part of fix-header-inline-helpers: a static inline step that hands on
 * to another header's step, which calls back into the including file. */
#ifndef HI_STEPS_H
#define HI_STEPS_H
#include <Python.h>
#include "more.h"

static inline int
hi_run_steps(PyObject *m)
{
    if (PyModule_AddIntConstant(m, "version", 1) < 0) {
        return -1;
    }
    return hi_more_steps(m);
}
#endif
