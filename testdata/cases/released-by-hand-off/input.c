/* Tests: a lazily made object moved out of its static and handed on
 * (`p = v; v = NULL; return p;`, through a helper, a macro) is released
 * there: OV102.  A one-slot free list takes its static the same way, but
 * fills it with an object that already exists (`spare = op` in its
 * dealloc): no site. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *hooks = NULL;      /*~ OV102 hooks */
static PyObject *pending = NULL;    /*~ OV102 pending */
static PyObject *queued = NULL;     /*~ OV102 queued */
static PyObject *waiting = NULL;    /*~ OV102 waiting */

#define TAKE(p) do { (p) = waiting; waiting = NULL; } while (0)

static PyObject *
add_hook(PyObject *self, PyObject *fn)
{
    if (hooks == NULL) {
        hooks = PyList_New(0);
        if (hooks == NULL) {
            return NULL;
        }
    }
    if (pending == NULL && (pending = PyList_New(0)) == NULL) {
        return NULL;
    }
    if (!queued) {
        queued = PyDict_New();
        if (!queued) {
            return NULL;
        }
    }
    if (waiting == NULL) {
        waiting = PyList_New(0);
        if (waiting == NULL) {
            return NULL;
        }
    }
    if (PyList_Append(hooks, fn) < 0 || PyList_Append(pending, fn) < 0) {
        return NULL;
    }
    return PyList_Append(waiting, fn) < 0 ? NULL : Py_NewRef(Py_None);
}

/* Handed to the caller. */
static PyObject *
pop_hooks(PyObject *self, PyObject *unused)
{
    PyObject *p = hooks;
    hooks = NULL;
    if (p == NULL) {
        Py_RETURN_NONE;
    }
    return p;
}

/* Handed to the caller, or None in its place. */
static PyObject *
pop_pending(PyObject *self, PyObject *unused)
{
    PyObject *p;
    p = pending;
    pending = NULL;
    return p ? p : Py_NewRef(Py_None);
}

/* A helper takes it; its caller releases it. */
static PyObject *
take_queued(void)
{
    PyObject *p = queued;
    queued = NULL;
    return p;
}

static PyObject *
drop_queued(PyObject *self, PyObject *unused)
{
    Py_XDECREF(take_queued());
    Py_RETURN_NONE;
}

/* A macro of the file takes it. */
static PyObject *
pop_waiting(PyObject *self, PyObject *unused)
{
    PyObject *p;
    TAKE(p);
    if (p == NULL) {
        Py_RETURN_NONE;
    }
    return p;
}

/* Contrast: a one-slot free list, filled with the object being freed. */
typedef struct {
    PyObject_HEAD
    long v;
} PairObject;
static PyTypeObject Pair_Type;
static PairObject *spare = NULL;

static PyObject *
pair_new(long v)
{
    PairObject *p = spare;
    if (p != NULL) {
        spare = NULL;
        _Py_NewReference((PyObject *)p);
    }
    else {
        p = PyObject_New(PairObject, &Pair_Type);
        if (p == NULL) {
            return NULL;
        }
    }
    p->v = v;
    return (PyObject *)p;
}

static void
pair_dealloc(PyObject *op)
{
    if (spare == NULL) {
        spare = (PairObject *)op;
        return;
    }
    PyObject_Free(op);
}
