/* Tests: a multi-phase module whose exec function is defined through a
 * token-pasting macro (`DEFINE_EXEC(name)` expanding to `static int
 * name##_exec(PyObject *module)`) and named plainly in the Py_mod_exec
 * slot. A static set there unconditionally is set at module init (OV301),
 * as in a plain exec function; a lazy cache in a method stays an OV101
 * with a safe fix. */
#include <Python.h>

#define DEFINE_EXEC(n) static int n##_exec(PyObject *module)

static PyObject *version;               /*~ OV301 version */
static PyObject *joiner = NULL;         /*~ OV101 joiner */

static PyObject *
join(PyObject *self, PyObject *items)
{
    if (joiner == NULL) {
        joiner = PyUnicode_FromString(", ");
        if (joiner == NULL) {
            return NULL;
        }
    }
    return PyUnicode_Join(joiner, items);
}

DEFINE_EXEC(mm3)
{
    version = PyUnicode_FromString("1.0");
    if (version == NULL) {
        return -1;
    }
    return PyModule_AddObjectRef(module, "version", version);
}

static PyMethodDef methods[] = {
    {"join", join, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, mm3_exec},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "mm3", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_mm3(void)
{
    return PyModuleDef_Init(&def);
}
