/* A filler in a subfolder. */
#include "fill.h"

void
sub_fetch(PyObject **slot)
{
    if (*slot == NULL) {
        *slot = PyTuple_New(0);
    }
}

void
dup_fill(PyObject **slot)
{
    if (*slot == NULL) {
        *slot = PyList_New(2);
    }
}
