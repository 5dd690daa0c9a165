/* A module built the way CPython's isolation guide asks: multi-phase init,
 * a heap type and an exception kept in module state, nothing process-wide.
 * It claims both an own GIL and running without one, and may. */
#include <Python.h>

typedef struct {
    PyObject *error;
    PyTypeObject *counter_type;
} state;

typedef struct {
    PyObject_HEAD
    long value;
} counter;

static PyObject *
counter_bump(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(++((counter *)self)->value);
}

static PyMethodDef counter_methods[] = {
    {"bump", counter_bump, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot counter_slots[] = {
    {Py_tp_methods, counter_methods},
    {0, NULL},
};

static PyType_Spec counter_spec = {
    "iso.Counter", sizeof(counter), 0, Py_TPFLAGS_DEFAULT, counter_slots,
};

static int
iso_exec(PyObject *m)
{
    state *st = PyModule_GetState(m);
    st->error = PyErr_NewException("iso.error", NULL, NULL);
    if (st->error == NULL) {
        return -1;
    }
    st->counter_type = (PyTypeObject *)PyType_FromModuleAndSpec(m, &counter_spec, NULL);
    if (st->counter_type == NULL) {
        return -1;
    }
    return PyModule_AddType(m, st->counter_type);
}

static int
iso_clear(PyObject *m)
{
    state *st = PyModule_GetState(m);
    Py_CLEAR(st->error);
    Py_CLEAR(st->counter_type);
    return 0;
}

static PyModuleDef_Slot iso_slots[] = {
    {Py_mod_exec, iso_exec},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef iso_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "iso",
    .m_size = sizeof(state),
    .m_slots = iso_slots,
    .m_clear = iso_clear,
};

PyMODINIT_FUNC
PyInit_iso(void) /*~ module iso multi-phase pig=ok ft=ok */
{
    return PyModuleDef_Init(&iso_module);
}
