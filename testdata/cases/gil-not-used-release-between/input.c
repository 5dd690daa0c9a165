/* Tests: in a module that runs without the GIL, a lazy import whose guarded
 * block releases another object between the store and the store's NULL
 * check (Py_DECREF, Py_XDECREF or Py_CLEAR of the module, a local used and
 * released, several statements) -> OV401 with a safe fix: the new object
 * waits in a local declared at the start of the block and the NULL check
 * publishes it with Py_ONCEVAR_SET; a borrowed value is made strong before
 * its owner is released; a local already named like the new one is not
 * reused; every other read is Py_ONCEVAR_GET, a write (Py_CLEAR) stays an
 * lvalue. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

static PyObject *clock_fn = NULL;   /*~ OV401 clock_fn */
static PyObject *dumps;             /*~ OV401 dumps */
static PyObject *sep;               /*~ OV401 sep */
static PyObject *itemgetter_cls;            /*~ OV401 itemgetter_cls */
static PyObject *sep_default;       /*~ OV401 sep_default */
static PyObject *hook;              /*~ OV401 hook */

static PyObject *
get_clock(void)
{
    if (clock_fn == NULL) {
        PyObject *mod = PyImport_ImportModule("time");
        if (mod == NULL)
            return NULL;
        clock_fn = PyObject_GetAttrString(mod, "monotonic");
        Py_DECREF(mod);
        if (clock_fn == NULL)
            return NULL;
    }
    return PyObject_CallNoArgs(clock_fn);
}

static PyObject *
get_dumps(void)
{
    if (!dumps) {
        PyObject *json = PyImport_ImportModule("json");
        dumps = json ? PyObject_GetAttrString(json, "dumps") : NULL;
        Py_XDECREF(json);
        if (!dumps) {
            return NULL;
        }
    }
    return Py_NewRef(dumps);
}

static PyObject *
get_sep(void)
{
    if (sep == NULL) {
        PyObject *os = PyImport_ImportModule("os");
        if (os == NULL) {
            return NULL;
        }
        sep = PyObject_GetAttrString(os, "sep");
        Py_CLEAR(os);
        if (sep == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(sep);
}

static PyObject *
get_getter(void)
{
    if (itemgetter_cls == NULL) {
        PyObject *name, *operator_mod;
        operator_mod = PyImport_ImportModule("operator");
        if (operator_mod == NULL) {
            return NULL;
        }
        name = PyUnicode_FromString("itemgetter");
        if (name == NULL) {
            Py_DECREF(operator_mod);
            return NULL;
        }
        itemgetter_cls = PyObject_GetAttr(operator_mod, name);
        Py_DECREF(name);
        /* the module is not needed any more */
        Py_DECREF(operator_mod);
        if (itemgetter_cls == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(itemgetter_cls);
}

/* A borrowed value from a dict released right after: made strong first. */
static PyObject *
get_sep_default(PyObject *config)
{
    if (sep_default == NULL) {
        PyObject *defaults = PyObject_GetAttrString(config, "defaults");
        if (defaults == NULL) {
            return NULL;
        }
        sep_default = PyDict_GetItemString(defaults, "sep");
        Py_DECREF(defaults);
        if (sep_default == NULL) {
            PyErr_SetString(PyExc_KeyError, "sep");
            return NULL;
        }
    }
    return Py_NewRef(sep_default);
}

static PyObject *
get_hook(void)
{
    int hook_new = 0;   /* spells the name the rewrite would give its local */
    if (hook == NULL) {
        PyObject *sys = PyImport_ImportModule("sys");
        if (sys == NULL) {
            return NULL;
        }
        hook = PyObject_GetAttrString(sys, "displayhook");
        Py_DECREF(sys);
        if (hook == NULL) {
            return NULL;
        }
    }
    return hook_new ? NULL : Py_NewRef(hook);
}

static PyObject *
clock_ns(PyObject *self, PyObject *unused)
{
    PyObject *t = get_clock();
    if (t == NULL || clock_fn == NULL) {
        return NULL;
    }
    return t;
}

static PyObject *
all(PyObject *self, PyObject *config)
{
    /* Each getter is called only while no exception is set, and the tuple
     * is made only of what they all returned (the fixture's own: it called
     * the next getter with the previous one's exception set and packed a
     * NULL, a crash under the probe's None). */
    PyObject *items[5] = {NULL};
    PyObject *r = NULL;
    int i;
    if ((items[0] = get_dumps()) != NULL
        && (items[1] = get_sep()) != NULL
        && (items[2] = get_getter()) != NULL
        && (items[3] = get_sep_default(config)) != NULL
        && (items[4] = get_hook()) != NULL) {
        r = PyTuple_Pack(5, items[0], items[1], items[2], items[3], items[4]);
    }
    for (i = 0; i < 5; i++) {
        Py_XDECREF(items[i]);
    }
    return r;
}

static PyMethodDef methods[] = {
    {"clock_ns", clock_ns, METH_NOARGS, NULL},
    {"all", all, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static int
m_clear(PyObject *m)
{
    Py_CLEAR(clock_fn);
    return 0;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "between", NULL, 0, methods, slots, NULL, m_clear,
};

PyMODINIT_FUNC
PyInit_between(void)
{
    return PyModuleDef_Init(&def);
}
