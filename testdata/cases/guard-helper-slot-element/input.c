/* Tests: a slot helper given the address of an element or of an object
 * member (`lazy(&cache[k], k)`, pythoncapi_compat's Py_GetConstant
 * emulation; `&(names[i])`; `&state.error`; `&table[i].cls`) fills that
 * element or member under its own NULL test, as `fetch(&v)` fills a
 * pointer: OV101, with the display-only fix of an array or a struct. A
 * helper that stores unconditionally, called from the module's exec, sets
 * its element once (OV301). */
#include <Python.h>

enum { K_ZERO, K_ONE, K_N };

static PyObject *names[4];                      /*~ OV101 names */
static PyObject *errors[2];                     /*~ OV301 errors */

static struct {
    PyObject *error;
    int calls;
} state;                                        /*~ OV101 state */

static struct {
    const char *name;
    PyObject *cls;
} table[] = {                                   /*~ OV101 table */
    {"a", NULL},
    {NULL, NULL},
};

static int
lazy(PyObject **slot, long v)
{
    if (*slot == NULL) {
        *slot = PyLong_FromLong(v);
        if (*slot == NULL)
            return -1;
    }
    return 0;
}

static int
store(PyObject **slot, const char *name)
{
    *slot = PyErr_NewException(name, NULL, NULL);
    return *slot == NULL ? -1 : 0;
}

static PyObject *
constant(PyObject *self, PyObject *arg)
{
    static PyObject *cache[K_N];                /*~ OV101 cache */
    long k = PyLong_AsLong(arg);
    if (k < 0 || k >= K_N)
        return NULL;
    if (lazy(&cache[k], k) < 0)
        return NULL;
    return Py_NewRef(cache[k]);
}

static PyObject *
name(PyObject *self, PyObject *arg)
{
    long i = PyLong_AsLong(arg) & 3;
    if (lazy(&(names[i]), i) < 0)
        return NULL;
    if (lazy(&state.error, 7) < 0)
        return NULL;
    if (lazy(&table[0].cls, 8) < 0)
        return NULL;
    state.calls++;
    return Py_NewRef(names[i]);
}

static int
slot_exec(PyObject *m)
{
    if (store(&errors[0], "slot.First") < 0 || store(&errors[1], "slot.Second") < 0)
        return -1;
    return PyModule_AddObjectRef(m, "First", errors[0]);
}

static PyMethodDef methods[] = {
    {"constant", constant, METH_O, NULL},
    {"name", name, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {{Py_mod_exec, slot_exec}, {0, NULL}};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "slot", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_slot(void)
{
    return PyModuleDef_Init(&def);
}
