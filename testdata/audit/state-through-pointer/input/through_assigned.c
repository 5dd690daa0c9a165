/* A static pointer that exec points at a static (`st = &counters`), then a
 * method counts through (`st->calls++`, `(*st).misses += 1`): the static
 * is written while the module runs, outside a lock: OV402, blocking both
 * (main gave ok for both). */
#include <Python.h>

typedef struct {
    long calls;
    long misses;
} counters_t;

static counters_t counters; /*~ OV402 counters */
static counters_t *st;

static PyObject *
ta_tick(PyObject *self, PyObject *unused)
{
    st->calls++;
    (*st).misses += 1;
    return PyLong_FromLong(st->calls);
}

static int
ta_exec(PyObject *m)
{
    st = &counters;
    return 0;
}

static PyMethodDef ta_methods[] = {
    {"tick", ta_tick, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot ta_slots[] = {
    {Py_mod_exec, ta_exec},
    {0, NULL},
};

static struct PyModuleDef ta_def = {
    PyModuleDef_HEAD_INIT, "ta", NULL, 0, ta_methods, ta_slots,
};

PyMODINIT_FUNC
PyInit_ta(void) /*~ module ta multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&ta_def);
}
/*~ blocks ta OV402 counters both */
