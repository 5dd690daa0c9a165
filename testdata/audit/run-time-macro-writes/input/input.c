/* Static object pointers (and other state) replaced while the module runs
 * through a writing macro: CPython's Py_XSETREF, Py_SETREF and Py_CLEAR,
 * and the unit's own macros from "store.h" that assign their parameter,
 * pass it on to one that does, increment it, or assign a member of it.
 * Each write races without the GIL and between interpreters with their
 * own GIL: OV402 blocking both verdicts (none of them was found before:
 * the module was ok/ok and its claim accepted). Not counted: a static only
 * read through a macro (SHOW), one written only in exec. */
#include <Python.h>
#include "store.h"

static PyObject *last_arg;          /*~ OV402 last_arg */
static PyObject *last_key;          /*~ OV402 last_key */
static PyObject *pending;           /*~ OV402 pending */
static PyObject *last_stored;       /*~ OV402 last_stored */
static PyObject *last_new;          /*~ OV402 last_new */
static PyObject *remembered;        /*~ OV402 remembered */
static long hits;                   /*~ OV402 hits */
static struct { long count; } stats; /*~ OV402 stats */
static long shown;

static PyObject *
remember(PyObject *self, PyObject *arg)
{
    Py_XSETREF(last_arg, Py_NewRef(arg));
    Py_SETREF(last_key, PyObject_Str(arg));
    STORE(last_stored, PyObject_Repr(arg));
    STORE_NEW(last_new, arg);
    REMEMBER(remembered, arg);
    BUMP(hits);
    SET_MEMBER(stats, hits);
    Py_RETURN_NONE;
}

static PyObject *
forget(PyObject *self, PyObject *unused)
{
    Py_CLEAR(pending);
    return SHOW(self);
}

static PyObject *
count(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(shown + hits + stats.count);
}

static PyMethodDef methods[] = {
    {"remember", remember, METH_O, NULL},
    {"forget", forget, METH_NOARGS, NULL},
    {"count", count, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
mw_exec(PyObject *m)
{
    shown = 1;
    return 0;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, mw_exec},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED}, /*~ contradicted mw Py_MOD_PER_INTERPRETER_GIL_SUPPORTED */
    {0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "mw", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_mw(void) /*~ module mw multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&def);
}
/*~ blocks mw OV402 last_arg both */
/*~ blocks mw OV402 last_key both */
/*~ blocks mw OV402 pending both */
/*~ blocks mw OV402 last_stored both */
/*~ blocks mw OV402 last_new both */
/*~ blocks mw OV402 remembered both */
/*~ blocks mw OV402 hits both */
/*~ blocks mw OV402 stats both */
