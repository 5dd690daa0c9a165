/* Part of fix-header-inline-helpers: the second hop, declared by the
 * including file's own step. */
#ifndef HI_MORE_H
#define HI_MORE_H
#include <Python.h>

static int add_more(PyObject *m);

static inline int
hi_more_steps(PyObject *m)
{
    return add_more(m);
}
#endif
