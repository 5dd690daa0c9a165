/* Tests: exported functions with a lazy fill that only other units reach,
 * each through another spelling: a method table's entry (steps.c,
 * multi.c: run time, safe), a header macro's whole method entry (steps.c:
 * safe; the `#define` line itself names nothing), a table of steps that a
 * single-phase init walks (unsafe, naming the path), a Py_mod_exec slot
 * (per interpreter, safe), a header macro called in a single-phase init
 * (unsafe), a prototype and nothing else (proto.c: no caller, unsafe), a
 * hidden symbol (still external linkage: no caller, unsafe) and Py_LOCAL
 * (internal linkage: the unit decides, safe). */
#include "ext.h"

static PyObject *table_cache = NULL;  /*~ OV101 table_cache */
static PyObject *slot_cache = NULL;  /*~ OV101 slot_cache */
static PyObject *StepError;  /*~ OV101 StepError */
static PyObject *exec_cache = NULL;  /*~ OV101 exec_cache */
static PyObject *macro_cache = NULL;  /*~ OV101 macro_cache */
static PyObject *MacroError;  /*~ OV101 MacroError */
static PyObject *proto_cache = NULL;  /*~ OV101 proto_cache */
static PyObject *hidden_cache = NULL;  /*~ OV101 hidden_cache */
static PyObject *local_cache = NULL;  /*~ OV101 local_cache */

PyObject *
table_get(PyObject *self, PyObject *unused)
{
    if (table_cache == NULL)
        table_cache = PyDict_New();
    return Py_XNewRef(table_cache);
}

PyObject *
slot_get(PyObject *self, PyObject *unused)
{
    if (slot_cache == NULL)
        slot_cache = PyDict_New();
    return Py_XNewRef(slot_cache);
}

int
step_errors(PyObject *m)
{
    if (StepError == NULL) {
        StepError = PyErr_NewException("steps.StepError", NULL, NULL);
        if (StepError == NULL)
            return -1;
    }
    return PyModule_AddObjectRef(m, "StepError", StepError);
}

int
exec_ext(PyObject *m)
{
    if (exec_cache == NULL) {
        exec_cache = PyDict_New();
        if (exec_cache == NULL)
            return -1;
    }
    return PyModule_AddObjectRef(m, "cache", exec_cache);
}

PyObject *
macro_get(PyObject *self, PyObject *unused)
{
    if (macro_cache == NULL)
        macro_cache = PyDict_New();
    return Py_XNewRef(macro_cache);
}

int
macro_errors(PyObject *m)
{
    if (MacroError == NULL) {
        MacroError = PyErr_NewException("steps.MacroError", NULL, NULL);
        if (MacroError == NULL)
            return -1;
    }
    return PyModule_AddObjectRef(m, "MacroError", MacroError);
}

PyObject *
proto_only(void)
{
    if (proto_cache == NULL)
        proto_cache = PyDict_New();
    return proto_cache;
}

__attribute__((visibility("hidden"))) PyObject *
hidden_get(void)
{
    if (hidden_cache == NULL)
        hidden_cache = PyDict_New();
    return hidden_cache;
}

Py_LOCAL(PyObject *)
local_get(void)
{
    if (local_cache == NULL)
        local_cache = PyDict_New();
    return local_cache;
}

static PyObject *
local_method(PyObject *self, PyObject *unused)
{
    return Py_XNewRef(local_get());
}

static PyMethodDef local_methods[] = {{"local", local_method, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef localdef = {PyModuleDef_HEAD_INIT, "localmod", NULL, 0, local_methods};

PyMODINIT_FUNC
PyInit_localmod(void)
{
    return PyModuleDef_Init(&localdef);
}
