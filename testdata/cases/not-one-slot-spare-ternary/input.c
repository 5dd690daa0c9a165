/* Tests: a one-slot free list whose constructor takes the parked object
 * back through a conditional (`op = spare ? spare : new()`) before
 * emptying the slot. Not a cache: no site. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
    long count;
} CounterObject;

static PyTypeObject Counter_Type;
static CounterObject *spare_counter = NULL;

static PyObject *
counter_new(long count)
{
    CounterObject *op = spare_counter ? spare_counter
                                      : PyObject_New(CounterObject, &Counter_Type);
    if (op == NULL) {
        return NULL;
    }
    if (op == spare_counter) {
        _Py_NewReference((PyObject *)op);
    }
    spare_counter = NULL;
    op->count = count;
    return (PyObject *)op;
}

static void
counter_dealloc(PyObject *self)
{
    if (!spare_counter) {
        spare_counter = (CounterObject *)self;
    }
    else {
        PyObject_Free(self);
    }
}
