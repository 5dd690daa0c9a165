/* Tests: a static's address handed to a helper of the file that is not a
 * NULL-guarded filler. The helper is read in full: one that stores NULL
 * through the slot after reading it releases the static (OV102: swapped
 * out by take, through a macro TAKE, dropped by Py_CLEAR(*slot) in
 * drop_slot, handed on from clear_via to take, Py_XDECREF then NULL in
 * reset_slot through a copy of a `void *` slot); one that only reads it is
 * a use (peeked). Unsafe, with the reason: a helper that keeps the slot's
 * address (remembered) or releases the object without clearing the slot
 * (half_released). Before, each of these sites vanished: the address
 * handed to a helper was taken for a write outside the guard. */
#include <Python.h>

static PyObject *swapped = NULL;       /*~ OV102 swapped */
static PyObject *macro_swapped = NULL; /*~ OV102 macro_swapped */
static PyObject *dropped = NULL;       /*~ OV102 dropped */
static PyObject *handed_on = NULL;     /*~ OV102 handed_on */
static PyObject *reset = NULL;         /*~ OV102 reset */
static PyObject *peeked = NULL;        /*~ OV101 peeked */
static PyObject *remembered = NULL;    /*~ OV101 remembered */
static PyObject *half_released = NULL; /*~ OV101 half_released */

static PyObject **kept_slot;

static PyObject *
take(PyObject **slot)
{
    PyObject *value = *slot;
    *slot = NULL;
    return value;
}

#define TAKE(v) take(&(v))

static void
drop_slot(PyObject **slot)
{
    if (slot != NULL) {
        Py_CLEAR(*slot);
    }
}

static void
clear_via(PyObject **slot)
{
    Py_XDECREF(take(slot));
}

static void
reset_slot(void *opaque)
{
    PyObject **slot = (PyObject **)opaque;
    Py_XDECREF(*slot);
    *slot = NULL;
}

static PyObject *
peek(PyObject **slot)
{
    return slot[0];
}

static void
remember(PyObject **slot)
{
    kept_slot = slot;
}

static void
release_only(PyObject **slot)
{
    Py_XDECREF(*slot);
}

static PyObject *
get(PyObject *self, PyObject *arg)
{
    if (swapped == NULL) {
        swapped = PyList_New(0);
    }
    if (macro_swapped == NULL) {
        macro_swapped = PyList_New(0);
    }
    if (dropped == NULL) {
        dropped = PyList_New(0);
    }
    if (handed_on == NULL) {
        handed_on = PyList_New(0);
    }
    if (reset == NULL) {
        reset = PyList_New(0);
    }
    if (peeked == NULL) {
        peeked = PyList_New(0);
        if (peeked == NULL) {
            return NULL;
        }
    }
    if (remembered == NULL) {
        remembered = PyList_New(0);
    }
    if (half_released == NULL) {
        half_released = PyList_New(0);
    }
    remember(&remembered);
    return Py_XNewRef(peek(&peeked));
}

static void
module_free(void *module)
{
    PyObject *old = take(&swapped);
    Py_XDECREF(old);
    Py_XDECREF(TAKE(macro_swapped));
    drop_slot(&dropped);
    clear_via(&handed_on);
    reset_slot(&reset);
    release_only(&half_released);
}

static PyMethodDef methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "release_slot_helper", NULL, 0, methods,
    NULL, NULL, NULL, module_free,
};

PyMODINIT_FUNC
PyInit_release_slot_helper(void)
{
    return PyModule_Create(&module_def);
}
