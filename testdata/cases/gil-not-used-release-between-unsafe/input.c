/* Tests: in a module that runs without the GIL, statements between the
 * store and its NULL check that the publication cannot take over -> OV401
 * with an unsafe fix whose reason names the obstacle: a `return` (or
 * `goto`, or a `break` out of the block's own loop) in between would leave
 * the new object neither published nor released; a use of the static in
 * between uses the object before it is checked. A `break` inside a loop of
 * its own, in between, leaves nothing: that fix is safe. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

static PyObject *early;     /*~ OV401 early */
static PyObject *used;      /*~ OV401 used */
static PyObject *jumped;    /*~ OV401 jumped */
static PyObject *looped;    /*~ OV401 looped */
static int strict;

static PyObject *
get_early(PyObject *mod)
{
    if (early == NULL) {
        Py_INCREF(mod);
        early = PyObject_GetAttrString(mod, "early");
        if (strict) {
            Py_DECREF(mod);
            return NULL;
        }
        Py_DECREF(mod);
        if (early == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(early);
}

static PyObject *
get_used(PyObject *mod)
{
    if (used == NULL) {
        Py_INCREF(mod);
        used = PyObject_GetAttrString(mod, "used");
        Py_XINCREF(used);
        Py_DECREF(mod);
        if (used == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(used);
}

static PyObject *
get_jumped(PyObject *mod)
{
    if (jumped == NULL) {
        Py_INCREF(mod);
        jumped = PyObject_GetAttrString(mod, "jumped");
        Py_DECREF(mod);
        if (strict)
            goto fail;
        if (jumped == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(jumped);
fail:
    return NULL;
}

static PyObject *
get_looped(PyObject *mod)
{
    if (looped == NULL) {
        int i;
        Py_INCREF(mod);
        looped = PyObject_GetAttrString(mod, "looped");
        for (i = 0; i < 3; i++) {
            if (strict) {
                break;
            }
        }
        Py_DECREF(mod);
        if (looped == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(looped);
}

static PyObject *
all(PyObject *self, PyObject *mod)
{
    /* Each getter is called only while no exception is set, and the tuple
     * is made only of what they all returned (the fixture's own: it called
     * the next getter with the previous one's exception set and packed a
     * NULL, a crash under the probe's None). */
    PyObject *items[4] = {NULL};
    PyObject *r = NULL;
    int i;
    if ((items[0] = get_early(mod)) != NULL
        && (items[1] = get_used(mod)) != NULL
        && (items[2] = get_jumped(mod)) != NULL
        && (items[3] = get_looped(mod)) != NULL) {
        r = PyTuple_Pack(4, items[0], items[1], items[2], items[3]);
    }
    for (i = 0; i < 4; i++) {
        Py_XDECREF(items[i]);
    }
    return r;
}

static PyMethodDef methods[] = {
    {"all", all, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "between_unsafe", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_between_unsafe(void)
{
    return PyModuleDef_Init(&def);
}
