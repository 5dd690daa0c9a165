/* Python objects kept in static storage that is no set-once pointer,
 * written while the module initialises: a struct reached through the
 * HOWTO's GETSTATE macro, a table of structs (apsw's exc_descriptors,
 * filled by a helper of exec: OV301), a pointer that starts at Py_None, a struct
 * written through (&v)->f, a nested struct's object member set through a
 * writing macro of the unit. Each interpreter's exec overwrites the
 * objects the others use: OV404, blocking the own GIL (not free threading:
 * the import lock orders init). All were ok before. A member set through
 * a macro that names it (LAST_ERROR) in a method is OV402. Not counted: a
 * struct whose object member exec leaves alone, a struct with no object,
 * a Py_None default nothing replaces. */
#include <Python.h>
#include "state.h"

static exc_entry errors_tbl[] = {  /*~ OV301 errors_tbl */
    {"Busy", NULL},
    {"Locked", NULL},
    {NULL, NULL},
};
static PyObject *default_obj = Py_None; /*~ OV404 default_obj */
static struct module_state arrow_state; /*~ OV404 arrow_state */
static struct { int n; struct holder h; } nested; /*~ OV404 nested */
static struct module_state last_state; /*~ OV402 last_state */
static struct { long count; PyObject *cached; } counts;
static struct { int a; int b; } plain;
static PyObject *fallback = Py_None;

static PyObject *
raise_busy(PyObject *self, PyObject *unused)
{
    PyErr_SetString(errors_tbl[0].cls, "busy");
    LAST_ERROR = errors_tbl[0].cls;
    return NULL;
}

static PyObject *
error_out(PyObject *self, PyObject *unused)
{
    PyErr_SetString(_state.error ? _state.error : arrow_state.error, "bad");
    return Py_BuildValue("(OOOi)", default_obj, fallback, nested.h.obj,
                         (int)counts.count + plain.a + plain.b);
}

static int
init_errors(PyObject *m)
{
    char buf[64];
    for (int i = 0; errors_tbl[i].name; i++) {
        PyObject *obj;
        PyOS_snprintf(buf, sizeof(buf), "ios.%sError", errors_tbl[i].name);
        obj = PyErr_NewException(buf, NULL, NULL);
        if (obj == NULL)
            return -1;
        errors_tbl[i].cls = obj;
        if (PyModule_AddObjectRef(m, buf + 4, obj) < 0)
            return -1;
    }
    return 0;
}

static int
ios_exec(PyObject *m)
{
    struct module_state *st = GETSTATE(m);
    st->error = PyErr_NewException("ios.Error", NULL, NULL);
    if (st->error == NULL)
        return -1;
    (&arrow_state)->error = Py_NewRef(st->error);
    default_obj = PyDict_New();
    SET_OBJ(nested.h.obj, PyList_New(0));
    counts.count = 0;
    plain.a = 1;
    return init_errors(m);
}

static PyMethodDef methods[] = {
    {"raise_busy", raise_busy, METH_NOARGS, NULL},
    {"error_out", error_out, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, ios_exec},
#if PY_VERSION_HEX >= 0x030C0000
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED}, /*~ contradicted ios Py_MOD_PER_INTERPRETER_GIL_SUPPORTED */
#endif
    {0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "ios", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_ios(void) /*~ module ios multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&def);
}
/*~ blocks ios OV301 errors_tbl pig */
/*~ blocks ios OV404 default_obj pig */
/*~ blocks ios OV404 arrow_state pig */
/*~ blocks ios OV404 nested pig */
/*~ blocks ios OV404 _state pig */
/*~ blocks ios OV402 last_state both */
