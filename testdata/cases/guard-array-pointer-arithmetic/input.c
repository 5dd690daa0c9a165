/* Tests: an array of object pointers read as a pointer: `*table` is
 * `table[0]` and `*(table + k)` (or `*(k + table)`) is `table[k]` (C11
 * 6.5.2.1p2), and for an array of structs `table->obj` and `(table +
 * k)->obj` are `table[0].obj` and `table[k].obj`. Filled lazily under a
 * NULL test spelled so, each array is a lazy static (OV101, the
 * display-only fix of an array): in a loop, as a static local, and
 * released through `Py_CLEAR(*(t + 1))` (OV102). Controls: an array only read through
 * pointer arithmetic, and a pointer static (not an array) dereferenced,
 * whose elements are not the static's. */
#include <Python.h>

static const char *const default_names[] = {"utf-8", "strict"};
#define N_DEFAULTS (sizeof default_names / sizeof default_names[0])
static PyObject *defaults[N_DEFAULTS];          /*~ OV101 defaults */
static PyObject *reversed[3];                   /*~ OV101 reversed */
static PyObject *readonly[2];
#define N_LOOPED 4
static PyObject *looped[N_LOOPED];              /*~ OV101 looped */
static PyObject *released[2];                   /*~ OV102 released */

typedef struct {
    const char *name;
    PyObject *obj;
} Entry;

static Entry entries[] = {                      /*~ OV101 entries */
    {"a", NULL},
    {"b", NULL},
};

static Entry starred[] = {                      /*~ OV101 starred */
    {"c", NULL},
};

static PyObject **borrowed_table;

static PyObject *
get_defaults(PyObject *self, PyObject *unused)
{
    if (!*defaults) {
        *defaults = PyUnicode_InternFromString(default_names[0]);
        if (!*defaults)
            return NULL;
        *(defaults + 1) = PyUnicode_InternFromString(default_names[1]);
        if (!*(defaults + 1))
            return NULL;
    }
    return PyTuple_Pack(2, defaults[0], defaults[1]);
}

static PyObject *
get_reversed(PyObject *self, PyObject *unused)
{
    if (*(2 + reversed) == NULL) {
        *(2 + reversed) = PyLong_FromLong(2);
        if (*((reversed) + 2) == NULL)
            return NULL;
    }
    return Py_NewRef(*(reversed + 2));
}

static PyObject *
get_entry(PyObject *self, PyObject *unused)
{
    if ((entries + 1)->obj == NULL) {
        (entries + 1)->obj = PyUnicode_InternFromString((entries + 1)->name);
        if ((entries + 1)->obj == NULL)
            return NULL;
    }
    return Py_NewRef((entries + 1)->obj);
}

static PyObject *
get_starred(PyObject *self, PyObject *unused)
{
    if (starred->obj == NULL) {
        (*starred).obj = PyUnicode_InternFromString(starred->name);
        if (starred->obj == NULL)
            return NULL;
    }
    return Py_NewRef(starred->obj);
}

static PyObject *
get_looped(PyObject *self, PyObject *unused)
{
    int i;
    if (*looped == NULL) {
        for (i = 0; i < N_LOOPED; i++) {
            *(looped + i) = PyLong_FromLong(i);
            if (*(looped + i) == NULL)
                return NULL;
        }
    }
    return Py_NewRef(*looped);
}

static PyObject *
get_local(PyObject *self, PyObject *unused)
{
    static PyObject *cache[2];                  /*~ OV101 cache */
    if (!*(cache + 1))
        *(cache + 1) = PyUnicode_FromString("x");
    return Py_XNewRef(cache[1]);
}

static PyObject *
get_released(PyObject *self, PyObject *unused)
{
    if (!*released)
        *released = PyUnicode_FromString("y");
    return Py_XNewRef(*released);
}

static void
arith_free(void *module)
{
    Py_CLEAR(*released);
    Py_CLEAR(*(released + 1));
}

/* Controls. */
static PyObject *
get_readonly(PyObject *self, PyObject *unused)
{
    if (*(readonly + 1) == NULL)
        Py_RETURN_NONE;
    return Py_NewRef(*(readonly + 1));
}

static PyObject *
get_borrowed(PyObject *self, PyObject *unused)
{
    if (borrowed_table == NULL || *(borrowed_table + 1) == NULL)
        Py_RETURN_NONE;
    return Py_NewRef(*(borrowed_table + 1));
}

static PyMethodDef methods[] = {
    {"get_defaults", get_defaults, METH_NOARGS, NULL},
    {"get_reversed", get_reversed, METH_NOARGS, NULL},
    {"get_entry", get_entry, METH_NOARGS, NULL},
    {"get_starred", get_starred, METH_NOARGS, NULL},
    {"get_looped", get_looped, METH_NOARGS, NULL},
    {"get_local", get_local, METH_NOARGS, NULL},
    {"get_released", get_released, METH_NOARGS, NULL},
    {"get_readonly", get_readonly, METH_NOARGS, NULL},
    {"get_borrowed", get_borrowed, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "arith", NULL, 0, methods, NULL, NULL, NULL, arith_free};
PyMODINIT_FUNC PyInit_arith(void) { return PyModuleDef_Init(&def); }
