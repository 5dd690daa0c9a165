/* Tests: a one-slot free list kept in a member of a static struct
 * (`pair_freelist.spare`, as CPython groups its free lists in a struct):
 * the constructor copies the member out and empties it, the dealloc parks
 * the dead object there. The copy of a struct's object member is a copy
 * of the static, as `p = spare;` is: the value is handed on, no cache and
 * no site. A cast on the copy, a struct holding two slots, and the copy
 * and the emptying in a macro of the file (`TAKE_SPARE`). A struct
 * whose object member is a cache copied into a local, tested there and
 * filled (never emptied) is a lazy site through the copy (`state`; no site
 * before the copy of a member was followed). Control: the same cache
 * tested directly (`direct`) stays OV101. */
#include <Python.h>

typedef struct { PyObject_HEAD long v; } PairObject;
static PyTypeObject Pair_Type;

static struct {
    PairObject *spare;
    Py_ssize_t hits;
} pair_freelist;

static struct {
    PyObject *small;
    PyObject *large;
} slots;

static struct {
    PyObject *error;
    int calls;
} state;                                        /*~ OV101 state */

static struct {
    PyObject *error;
} direct;                                       /*~ OV101 direct */

static PyObject *
pair_new(long v)
{
    PairObject *p;
    if (pair_freelist.spare != NULL) {
        p = pair_freelist.spare;
        pair_freelist.spare = NULL;
        pair_freelist.hits++;
        _Py_NewReference((PyObject *)p);
    } else {
        p = PyObject_New(PairObject, &Pair_Type);
        if (p == NULL)
            return NULL;
    }
    p->v = v;
    return (PyObject *)p;
}

static void
pair_dealloc(PairObject *p)
{
    if (pair_freelist.spare == NULL)
        pair_freelist.spare = p;
    else
        PyObject_Del(p);
}

static PyObject *
take_small(void)
{
    PairObject *p = (PairObject *)(slots.small);
    if (p != NULL) {
        (slots).small = NULL;
        _Py_NewReference((PyObject *)p);
        return (PyObject *)p;
    }
    return (PyObject *)PyObject_New(PairObject, &Pair_Type);
}

static PyObject *
take_large(void)
{
    PyObject *p;
    if ((p = slots.large) != NULL) {
        slots.large = NULL;
        _Py_NewReference(p);
        return p;
    }
    return (PyObject *)PyObject_New(PairObject, &Pair_Type);
}

static void
park(PyObject *o, int large)
{
    if (large && slots.large == NULL)
        slots.large = o;
    else if (!large && slots.small == NULL)
        slots.small = o;
    else
        PyObject_Del(o);
}

/* Control. */
static PyObject *
get_error(void)
{
    PyObject *e = state.error;
    if (e == NULL) {
        e = PyErr_NewException("m.Error", NULL, NULL);
        state.error = e;
    }
    state.calls++;
    return e;
}

static PyObject *
get_direct(void)
{
    if (direct.error == NULL)
        direct.error = PyErr_NewException("m.Direct", NULL, NULL);
    return direct.error;
}

/* The copy and the emptying in a macro of the file. */
static struct {
    PairObject *spare;
    int hits;
} macro_freelist;
#define TAKE_SPARE(p) do { (p) = macro_freelist.spare; macro_freelist.spare = NULL; } while (0)

static PyObject *
macro_pair_new(long v)
{
    PairObject *p;
    if (macro_freelist.spare != NULL) {
        TAKE_SPARE(p);
        _Py_NewReference((PyObject *)p);
    } else {
        p = PyObject_New(PairObject, &Pair_Type);
        if (p == NULL)
            return NULL;
    }
    p->v = v;
    return (PyObject *)p;
}

static void
macro_pair_dealloc(PairObject *p)
{
    if (macro_freelist.spare == NULL)
        macro_freelist.spare = p;
    else
        PyObject_Del(p);
}
