/* Control: a multi-phase module calls json_util.c's exported get_json()
 * from a method, at run time. */
#include "json_util.h"

static PyObject *sep_cache = NULL;  /*~ OV101 sep_cache */

/* A static helper only this unit calls, from a method: safe as before. */
static PyObject *
get_sep(void)
{
    if (sep_cache == NULL)
        sep_cache = PyUnicode_FromString(", ");
    return sep_cache;
}

static PyObject *
dumps(PyObject *self, PyObject *arg)
{
    PyObject *json = get_json();
    if (json == NULL || get_sep() == NULL)
        return NULL;
    return PyObject_CallMethod(json, "dumps", "O", arg);
}

static PyMethodDef multi_methods[] = {{"dumps", dumps, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef multidef = {PyModuleDef_HEAD_INIT, "multi", NULL, 0, multi_methods};

PyMODINIT_FUNC
PyInit_multi(void)
{
    return PyModuleDef_Init(&multidef);
}
