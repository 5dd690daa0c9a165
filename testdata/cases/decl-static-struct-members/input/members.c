/* Tests: an object pointer member of a static struct, or of a static array
 * of structs, is a cache as a static pointer is: `table[i].obj`,
 * `_state.codec` and `cache.b` filled under a NULL test of the member are
 * OV101 (OV102 when released), and a member set in the module's exec is
 * OV301. The rewrite has no form for them: display-only fixes that name the
 * members. A struct whose members hold no object, a static object (its
 * head is PyObject_HEAD), a struct whose object member is set in its
 * initialiser and a member replaced on every call are no site. The struct
 * may be anonymous, a typedef, or defined in a header. */
#include <Python.h>
#include <string.h>
#include "state.h"

static struct {
    const char *name;
    PyObject *obj;
} table[] = {                                   /*~ OV101 table */
    {"alpha", NULL},
    {"beta", NULL},
    {NULL, NULL},
};

static struct {
    const char *name;
    PyObject *cls;
} exc_descriptors[] = {                         /*~ OV301 exc_descriptors */
    {"Busy", NULL},
    {"Locked", NULL},
    {NULL, NULL},
};

static module_state _state;                    /*~ OV101 _state */

typedef struct {
    PyObject *a;
    PyObject *b;
    int n;
} Cache;

static Cache cache = {NULL, NULL, 3};           /*~ OV101 cache */
static Cache released = {.n = 1, .b = NULL};    /*~ OV102 released */
static Cache preset = {Py_None, NULL, 0};
static struct { const char *text; int length; } info;
static struct { PyObject *last; } recent;

typedef struct {
    PyObject_HEAD
    PyObject *dict;
} SingletonObject;

static SingletonObject singleton;

static PyObject *
lookup(PyObject *self, PyObject *arg)
{
    const char *name = PyUnicode_AsUTF8(arg);
    int i;
    if (name == NULL)
        return NULL;
    for (i = 0; table[i].name; i++) {
        if (strcmp(table[i].name, name) == 0) {
            if (table[i].obj == NULL) {
                table[i].obj = PyUnicode_FromString(table[i].name);
                if (table[i].obj == NULL)
                    return NULL;
            }
            return Py_NewRef(table[i].obj);
        }
    }
    Py_RETURN_NONE;
}

static PyObject *
get_codec(PyObject *self, PyObject *unused)
{
    if (!_state.codec) {
        _state.codec = PyUnicode_FromString("utf-8");
        if (_state.codec == NULL)
            return NULL;
    }
    _state.counter++;
    return Py_NewRef(_state.codec);
}

static PyObject *
get_b(PyObject *self, PyObject *unused)
{
    if ((cache).b == NULL)
        (cache).b = PyTuple_New(0);
    return Py_XNewRef(cache.b);
}

static PyObject *
get_released(PyObject *self, PyObject *unused)
{
    if (released.a == NULL) {
        released.a = PyDict_New();
    }
    info.text = "x";
    info.length = 1;
    return Py_XNewRef(released.a);
}

static PyObject *
get_preset(PyObject *self, PyObject *obj)
{
    if (singleton.dict == NULL)
        singleton.dict = PyDict_New();
    if (preset.b == NULL)
        preset.b = Py_NewRef(preset.a);
    Py_XSETREF(recent.last, Py_NewRef(obj));
    return Py_XNewRef(preset.b);
}

static PyObject *
raise_busy(PyObject *self, PyObject *unused)
{
    PyErr_SetString(exc_descriptors[0].cls, "busy");
    return NULL;
}

static int
members_exec(PyObject *m)
{
    char buf[64];
    int i;
    for (i = 0; exc_descriptors[i].name; i++) {
        PyObject *obj;
        PyOS_snprintf(buf, sizeof(buf), "members.%sError", exc_descriptors[i].name);
        obj = PyErr_NewException(buf, NULL, NULL);
        if (obj == NULL)
            return -1;
        exc_descriptors[i].cls = obj;
        if (PyModule_AddObjectRef(m, buf + 8, obj) < 0)
            return -1;
    }
    return 0;
}

static void
members_free(void *module)
{
    Py_CLEAR(released.a);
}

static PyMethodDef methods[] = {
    {"lookup", lookup, METH_O, NULL},
    {"get_codec", get_codec, METH_NOARGS, NULL},
    {"get_b", get_b, METH_NOARGS, NULL},
    {"get_released", get_released, METH_NOARGS, NULL},
    {"get_preset", get_preset, METH_O, NULL},
    {"raise_busy", raise_busy, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {{Py_mod_exec, members_exec}, {0, NULL}};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "members", NULL, 0, methods, slots, NULL, NULL, members_free,
};

PyMODINIT_FUNC
PyInit_members(void)
{
    return PyModuleDef_Init(&def);
}
