/* Tests: the file defines lowercase macros after Python.h (`index`,
 * `slots`) and includes more headers while they are in effect: the runtime
 * include goes right after Python.h, before them, so the fixed file
 * compiles. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

typedef struct { Py_ssize_t r_index; void *r_slots; } Cursor;
static Cursor *current;
#define index current->r_index
#define slots current->r_slots
#include <stddef.h>
#include <limits.h>
#undef index
#undef slots

Py_ONCEVAR_DECLARE(PyObject *, empty_cursor);   /*~ OV101 empty_cursor */

static PyObject *
get_empty_cursor(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(empty_cursor) == NULL) {
        Py_ONCEVAR(empty_cursor) = PyTuple_New(0);
    }
    return Py_XNewRef(Py_ONCEVAR(empty_cursor));
}
