/* Module lx calls stats_record: blocked by its three statics. */
#include <Python.h>
#include "util.h"

static PyObject *
call(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(stats_record());
}

static PyMethodDef methods[] = {{"call", call, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot slots[] = {{0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "lx", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_lx(void) /*~ module lx multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&def);
}
/*~ blocks lx OV402 records both */
/*~ blocks lx OV402 last_note both */
/*~ blocks lx OV402 last_count both */
