/* Tests: a critical section locks only the object it names. In a module
 * without the GIL, a lazy fill under a critical section on `self`, on a
 * parameter, or on a local that shadows a file-scope name races (two
 * threads on two objects run it at once): OV401. On a process-wide object
 * (a static type's address, through casts and _PyObject_CAST, directly, in
 * PyCriticalSection_Begin or Py_BEGIN_CRITICAL_SECTION2, or through a
 * macro of the file) every caller takes the same lock: OV101. */
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#define Py_BEGIN_CRITICAL_SECTION(op) {
#define Py_END_CRITICAL_SECTION() }
#define Py_BEGIN_CRITICAL_SECTION2(a, b) {
#define Py_END_CRITICAL_SECTION2() }
typedef struct { int unused; } PyCriticalSection;
#define PyCriticalSection_Begin(c, op) ((void)(c), (void)(op))
#define PyCriticalSection_End(c) ((void)(c))
#elif PY_VERSION_HEX < 0x030F0000 && !defined(Py_GIL_DISABLED)
/* 3.13 and 3.14 leave the struct incomplete with the GIL (3.15 does not). */
struct PyCriticalSection { uintptr_t _cs_prev; PyMutex *_cs_mutex; };
#endif

#define ENTER(o) Py_BEGIN_CRITICAL_SECTION(o)
#define LEAVE() Py_END_CRITICAL_SECTION()
#define ENTER_REGISTRY() ENTER((PyObject *)&Registry_Type)

static PyTypeObject Registry_Type;   /* readied in exec: one object for the process */

static PyObject *
on_self(PyObject *self, PyObject *unused)
{
    static PyObject *self_cache = NULL;   /*~ OV401 self_cache */
    PyObject *result;
    Py_BEGIN_CRITICAL_SECTION(self);
    if (self_cache == NULL) {
        self_cache = PyList_New(0);
    }
    result = Py_XNewRef(self_cache);
    Py_END_CRITICAL_SECTION();
    return result;
}

static PyObject *registry;   /* a file-scope name a local shadows */

static PyObject *
on_shadowing_local(PyObject *self, PyObject *arg)
{
    static PyObject *local_cache = NULL;   /*~ OV401 local_cache */
    PyObject *registry = arg;
    PyObject *result;
    Py_BEGIN_CRITICAL_SECTION(registry);
    if (local_cache == NULL) {
        local_cache = PyDict_New();
    }
    result = Py_XNewRef(local_cache);
    Py_END_CRITICAL_SECTION();
    return result;
}

static PyObject *
on_self_api(PyObject *self, PyObject *unused)
{
    static PyObject *api_cache = NULL;   /*~ OV401 api_cache */
    PyCriticalSection cs;
    PyObject *result;
    PyCriticalSection_Begin(&cs, self);
    if (api_cache == NULL) {
        api_cache = PyList_New(1);
    }
    result = Py_XNewRef(api_cache);
    PyCriticalSection_End(&cs);
    return result;
}

static PyObject *
on_self_macro(PyObject *self, PyObject *unused)
{
    static PyObject *macro_cache = NULL;   /*~ OV401 macro_cache */
    PyObject *result;
    ENTER(self);
    if (macro_cache == NULL) {
        macro_cache = PyList_New(2);
    }
    result = Py_XNewRef(macro_cache);
    LEAVE();
    return result;
}

static PyObject *
on_type(PyObject *self, PyObject *unused)
{
    static PyObject *type_cache = NULL;   /*~ OV101 type_cache */
    PyObject *result;
    Py_BEGIN_CRITICAL_SECTION((PyObject *)&Registry_Type);
    if (type_cache == NULL) {
        type_cache = PyList_New(3);
    }
    result = Py_XNewRef(type_cache);
    Py_END_CRITICAL_SECTION();
    return result;
}

static PyObject *
on_type_api(PyObject *self, PyObject *unused)
{
    static PyObject *type_api_cache = NULL;   /*~ OV101 type_api_cache */
    PyCriticalSection cs;
    PyObject *result;
    PyCriticalSection_Begin(&cs, _PyObject_CAST(&Registry_Type));
    if (type_api_cache == NULL) {
        type_api_cache = PyList_New(4);
    }
    result = Py_XNewRef(type_api_cache);
    PyCriticalSection_End(&cs);
    return result;
}

static PyObject *
on_pair(PyObject *self, PyObject *unused)
{
    static PyObject *pair_cache = NULL;   /*~ OV101 pair_cache */
    PyObject *result;
    Py_BEGIN_CRITICAL_SECTION2(self, (PyObject *)&Registry_Type);
    if (pair_cache == NULL) {
        pair_cache = PyList_New(5);
    }
    result = Py_XNewRef(pair_cache);
    Py_END_CRITICAL_SECTION2();
    return result;
}

static PyObject *
on_type_macro(PyObject *self, PyObject *unused)
{
    static PyObject *registry_cache = NULL;   /*~ OV101 registry_cache */
    PyObject *result;
    ENTER_REGISTRY();
    if (registry_cache == NULL) {
        registry_cache = PyList_New(6);
    }
    result = Py_XNewRef(registry_cache);
    LEAVE();
    return result;
}

static PyMethodDef section_methods[] = {
    {"on_self", on_self, METH_NOARGS, NULL},
    {"on_shadowing_local", on_shadowing_local, METH_O, NULL},
    {"on_self_api", on_self_api, METH_NOARGS, NULL},
    {"on_self_macro", on_self_macro, METH_NOARGS, NULL},
    {"on_type", on_type, METH_NOARGS, NULL},
    {"on_type_api", on_type_api, METH_NOARGS, NULL},
    {"on_pair", on_pair, METH_NOARGS, NULL},
    {"on_type_macro", on_type_macro, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot section_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef section_module = {
    PyModuleDef_HEAD_INIT, "section", NULL, 0, section_methods, section_slots,
};

PyMODINIT_FUNC
PyInit_section(void)
{
    registry = NULL;
    return PyModuleDef_Init(&section_module);
}
