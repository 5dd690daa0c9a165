/* A multi-phase module: its exec slot is another unit's exec_ext, and a
 * type's slot table names slot_get: both per interpreter. */
#include "ext.h"

static PyMethodDef thing_methods[] = {
    {"get", slot_get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot thing_slots[] = {
    {Py_tp_methods, thing_methods},
    {0, NULL},
};

static PyModuleDef_Slot multi_slots[] = {
    {Py_mod_exec, exec_ext},
    {0, NULL},
};

static struct PyModuleDef multidef = {PyModuleDef_HEAD_INIT, "multi", NULL, 0, NULL, multi_slots};

PyMODINIT_FUNC
PyInit_multi(void)
{
    return PyModuleDef_Init(&multidef);
}
