/* Part of unit-init-step-in-header-inline: a static inline wrapper that
 * calls a step the including file defines. */
#ifndef STEPS_H
#define STEPS_H
#include <Python.h>

static int add_timeout(PyObject *m);

static inline int
run_steps(PyObject *m)
{
    return add_timeout(m);
}
#endif
