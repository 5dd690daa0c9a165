/* Tests: static arrays of object pointers, every element NULL to start
 * with, filled lazily under a NULL test of an element (the
 * pythoncapi_compat.h emulation of Py_GetConstant(), a table of interned
 * names filled in a loop) are process-wide caches like a single pointer:
 * OV101, or OV102 when the module releases them. The rewrite has no form
 * for an array, so the fix is display-only and says why. A ring buffer
 * written on every call is state, an array of C strings is a table, and an
 * array with values in its initialiser is a constant: no site. */
#include <Python.h>

enum { K_NONE, K_ZERO, K_EMPTY, K_COUNT };

static PyObject *interned[3];               /*~ OV101 interned */
static PyObject *released_names[2] = {0};   /*~ OV102 released_names */
static PyObject *ring[8] = {NULL, NULL};
static const char *labels[] = {"a", "b", NULL};

static PyObject *
get_constant(int which)
{
    static PyObject *table[K_COUNT] = {NULL};   /*~ OV101 table */

    if (table[K_NONE] == NULL) {
        table[K_NONE] = Py_None;
        table[K_ZERO] = PyLong_FromLong(0);
        if (table[K_ZERO] == NULL) {
            return NULL;
        }
        table[K_EMPTY] = PyTuple_New(0);
        if (table[K_EMPTY] == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(table[which]);
}

static PyObject *
name_of(int i)
{
    if (!interned[0]) {
        for (int k = 0; k < 3; k++) {
            interned[k] = PyUnicode_InternFromString(labels[k] ? labels[k] : "?");
            if (interned[k] == NULL) {
                return NULL;
            }
        }
    }
    return Py_NewRef(interned[i]);
}

static PyObject *
released_name(int i)
{
    if (released_names[i] == NULL) {
        released_names[i] = PyUnicode_FromFormat("name%d", i);
    }
    return Py_XNewRef(released_names[i]);
}

static void
module_free(void *module)
{
    Py_CLEAR(released_names[0]);
    Py_CLEAR(released_names[1]);
}

static PyObject *
remember(PyObject *obj)
{
    static unsigned pos;
    Py_XSETREF(ring[pos % 8], Py_NewRef(obj));
    pos++;
    return Py_NewRef(obj);
}

static PyObject *
py_remember(PyObject *self, PyObject *obj)
{
    return remember(obj);
}

static PyObject *
py_constant(PyObject *self, PyObject *arg)
{
    PyObject *a = get_constant((int)PyLong_AsLong(arg) % K_COUNT);
    PyObject *b = name_of(0);
    PyObject *c = released_name(1);
    Py_XDECREF(b);
    Py_XDECREF(c);
    return a;
}

static PyMethodDef arrays_methods[] = {
    {"remember", py_remember, METH_O, NULL},
    {"constant", py_constant, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef arrays_module = {
    PyModuleDef_HEAD_INIT, "arrays", NULL, 0, arrays_methods, NULL, NULL, NULL, module_free,
};

PyMODINIT_FUNC
PyInit_arrays(void)
{
    return PyModuleDef_Init(&arrays_module);
}
