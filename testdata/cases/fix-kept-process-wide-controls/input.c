/* Tests: copies of a cached object that do not outlive the interpreter
 * without a reference of their own; every fix here stays safe (controls of
 * fix-unsafe-kept-process-wide). A new reference stored (new_ref,
 * Py_NewRef), an incref of the storage after the store (increfed) or of
 * the value before it (increfed_first): the storage keeps the object
 * alive whichever interpreter released its slot. Copies that stay in the
 * call: a local (in_local), a member of a local struct (in_local_struct),
 * a helper of the unit that only reads its parameter (read_only), a
 * CPython call (to_cpython), a function defined elsewhere (elsewhere:
 * taken to borrow it for the call, as for any owned value), a local of an
 * inner block that shadows a static of the same name as the store's
 * (shadowed), a helper that increfs its parameter and hands it back,
 * stored in a static (via_incref_helper: a new reference), a helper that
 * hands its parameter back as it is, whose other call's result is stored
 * (only_other_call: the static's call is not), and a static local
 * declared in an `#if` branch of the block, which is process-wide: unsafe
 * (in_branch_static). */
#include <Python.h>

typedef struct {
    PyObject *enc;
} Codec;

extern void log_elsewhere(PyObject *o);

static PyObject *kept_new;
static PyObject *kept_incref;
static PyObject *kept_first;
static PyObject *kept_shadow;
static PyObject *kept_held;
static PyObject *kept_other;

static PyObject *new_ref = NULL;        /*~ OV101 new_ref */
static PyObject *increfed = NULL;       /*~ OV101 increfed */
static PyObject *increfed_first = NULL; /*~ OV101 increfed_first */
static PyObject *in_local = NULL;       /*~ OV101 in_local */
static PyObject *in_local_struct = NULL; /*~ OV101 in_local_struct */
static PyObject *read_only = NULL;      /*~ OV101 read_only */
static PyObject *to_cpython = NULL;     /*~ OV101 to_cpython */
static PyObject *elsewhere = NULL;      /*~ OV101 elsewhere */
static PyObject *shadowed = NULL;       /*~ OV101 shadowed */
static PyObject *via_incref_helper = NULL; /*~ OV101 via_incref_helper */
static PyObject *only_other_call = NULL; /*~ OV101 only_other_call */
static PyObject *in_branch_static = NULL; /*~ OV101 in_branch_static */

static PyObject *
held(PyObject *o)
{
    Py_INCREF(o);
    return o;
}

static PyObject *
same(PyObject *o)
{
    return o;
}

static Py_ssize_t
length_of(PyObject *o)
{
    PyObject *copy = o;
    return PyObject_Length(copy);
}

static PyObject *
get(PyObject *self, PyObject *args)
{
    PyObject *local;
    Codec codec;

    if (new_ref == NULL)
        new_ref = PyUnicode_FromString("a");
    Py_XSETREF(kept_new, Py_NewRef(new_ref));

    if (increfed == NULL)
        increfed = PyUnicode_FromString("b");
    Py_XDECREF(kept_incref);
    kept_incref = increfed;
    Py_INCREF(kept_incref);

    if (increfed_first == NULL)
        increfed_first = PyUnicode_FromString("c");
    Py_INCREF(increfed_first);
    Py_XSETREF(kept_first, increfed_first);

    if (in_local == NULL)
        in_local = PyUnicode_FromString("d");
    local = in_local;

    if (in_local_struct == NULL)
        in_local_struct = PyUnicode_FromString("e");
    codec.enc = in_local_struct;

    if (read_only == NULL)
        read_only = PyUnicode_FromString("f");
    if (length_of(read_only) < 0)
        return NULL;

    if (to_cpython == NULL)
        to_cpython = PyUnicode_FromString("g");
    if (PyObject_SetAttrString(self, "g", to_cpython) < 0)
        return NULL;

    if (elsewhere == NULL)
        elsewhere = PyUnicode_FromString("h");
    log_elsewhere(elsewhere);

    if (shadowed == NULL)
        shadowed = PyUnicode_FromString("i");
    {
        PyObject *kept_shadow;
        kept_shadow = shadowed;
        (void)kept_shadow;
    }

    if (via_incref_helper == NULL)
        via_incref_helper = PyUnicode_FromString("k");
    Py_XSETREF(kept_held, NULL);
    kept_held = held(via_incref_helper);

    if (only_other_call == NULL)
        only_other_call = PyUnicode_FromString("l");
    if (PyObject_Length(same(only_other_call)) < 0)
        return NULL;
    kept_other = same(Py_None);

    if (in_branch_static == NULL)
        in_branch_static = PyUnicode_FromString("j");
    {
#ifdef Py_DEBUG
        static PyObject *branch_keeper;
#else
        static PyObject *branch_keeper;
#endif
        branch_keeper = in_branch_static;
        (void)branch_keeper;
    }
    return Py_BuildValue("(OO)", local, codec.enc);
}
