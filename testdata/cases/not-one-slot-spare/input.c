/* Tests: a one-slot free list: dealloc parks the dead object in the static
 * under a NULL test, the constructor takes it back and empties the slot.
 * Not a cache: no site. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject ob_base;
    double x, y;
} PointObject;

static PyTypeObject Point_Type;
static PointObject *parked_point;

static PyObject *
point_new(double x, double y)
{
    PointObject *self;
    if (parked_point) {
        self = (PointObject *)parked_point;
        parked_point = NULL;
        _Py_NewReference((PyObject *)self);
    }
    else {
        self = PyObject_New(PointObject, &Point_Type);
        if (self == NULL) {
            return NULL;
        }
    }
    self->x = x;
    self->y = y;
    return (PyObject *)self;
}

static void
point_dealloc(PyObject *op)
{
    if (parked_point == NULL) {
        parked_point = (PointObject *)op;
        return;
    }
    PyObject_Free(op);
}
