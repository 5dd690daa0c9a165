/* Tests: `static struct state *` allocated on first use under a NULL guard.
 * The pointee is C memory, not a Python object -> OV201. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

struct tokenizer_state {
    int depth;
    Py_ssize_t pos;
    char buffer[256];
};

static struct tokenizer_state *global_state = NULL;   /*~ OV201 global_state */

static struct tokenizer_state *
get_state(void)
{
    if (global_state == NULL) {
        global_state = PyMem_RawCalloc(1, sizeof(*global_state));
        if (global_state == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
    }
    return global_state;
}

static PyObject *
reset(PyObject *self, PyObject *unused)
{
    struct tokenizer_state *st = get_state();
    if (st == NULL) {
        return NULL;
    }
    st->depth = 0;
    st->pos = 0;
    Py_RETURN_NONE;
}
