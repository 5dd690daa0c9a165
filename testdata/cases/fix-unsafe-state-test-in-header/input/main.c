/* Tests: a lazy fill in a header's helper, reached from the .c file only
 * past `if (!state->ready)` on a pointer to a static struct, behind a
 * function-like macro that hides the call: unsafe, naming the test and the
 * caller. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "lazy.h"

struct state { int ready; };
static struct state the_state;
#define LOAD() load_handlers()

static PyObject *
handler_for(PyObject *self, PyObject *key)
{
    struct state *state = &the_state;
    if (!the_state.ready) {
        if (LOAD() < 0)
            return NULL;
        state->ready = 1;
    }
    if (handlers == NULL)
        Py_RETURN_NONE;
    return Py_XNewRef(PyDict_GetItemWithError(handlers, key));
}

static PyMethodDef methods[] = {
    {"handler_for", handler_for, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};
