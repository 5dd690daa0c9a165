/* Module lz reaches stats_record through stats_twice: blocked. */
#include <Python.h>
#include "util.h"

static PyObject *
call(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(stats_twice());
}

static PyMethodDef methods[] = {{"call", call, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot slots[] = {{0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "lz", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_lz(void) /*~ module lz multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&def);
}
/*~ blocks lz OV402 records both */
/*~ blocks lz OV402 last_note both */
/*~ blocks lz OV402 last_count both */
