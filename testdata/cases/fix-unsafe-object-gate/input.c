/* Tests: a lazy fill nested under the NULL test of another static that
 * holds Python objects is fixed only with that static, which gates it: a
 * static whose own fix is unsafe (read in a Py_AtExit hook), one with no
 * lazy site (replaced by a setter), an element of an array of object
 * pointers or a member of a struct (display-only: never rewritten). Left
 * process-wide, the gate is found set by a later interpreter, which skips
 * the block and finds its own slot empty. Spellings: `== NULL`, `!`, a
 * macro, the `else` of `!= NULL`, an early return while it is set, two
 * levels deep, a helper called under the gate, the gate two calls away;
 * a chain of gates declared backwards, and a sibling of a gated fill.
 * Contrasts that stay safe: the gate's own fix safe (both rewritten), the
 * gate filled in its own `if` before (not around), an early exit while
 * it is NULL, and `mod == NULL || later == NULL` around `later`'s own
 * guard (a later interpreter enters while its own `later` is NULL). */
#include <Python.h>

#define NEED_MOD (mod == NULL)

static PyObject *mod;                   /*~ OV101 mod */
static PyObject *monotonic;             /*~ OV101 monotonic */
static PyObject *perf;                  /*~ OV101 perf */
static PyObject *sleeper;               /*~ OV101 sleeper */
static PyObject *clock_id;              /*~ OV101 clock_id */
static PyObject *zone;                  /*~ OV101 zone */
static PyObject *zone_name;             /*~ OV101 zone_name */
static PyObject *thread_time;           /*~ OV101 thread_time */
static PyObject *process_time;          /*~ OV101 process_time */

static void
bye(void)
{
    Py_XDECREF(mod);
}

static int
m_exec(PyObject *m)
{
    return Py_AtExit(bye);
}

static PyObject *
get_monotonic(PyObject *self, PyObject *unused)
{
    if (mod == NULL) {
        mod = PyImport_ImportModule("time");
        if (mod == NULL)
            return NULL;
        if (monotonic == NULL) {
            monotonic = PyObject_GetAttrString(mod, "monotonic");
            if (monotonic == NULL)
                return NULL;
        }
    }
    return Py_XNewRef(monotonic);
}

static PyObject *
get_perf(PyObject *self, PyObject *unused)
{
    if (!mod) {
        mod = PyImport_ImportModule("time");
        if (!mod)
            return NULL;
        if (!perf && !(perf = PyObject_GetAttrString(mod, "perf_counter")))
            return NULL;
    }
    return Py_XNewRef(perf);
}

static PyObject *
get_sleeper(PyObject *self, PyObject *unused)
{
    if (NEED_MOD) {
        mod = PyImport_ImportModule("time");
        if (mod == NULL)
            return NULL;
        if (sleeper == NULL)
            sleeper = PyObject_GetAttrString(mod, "sleep");
    }
    return Py_XNewRef(sleeper);
}

static PyObject *
get_clock_id(PyObject *self, PyObject *unused)
{
    if (mod != NULL) {
        /* loaded */
    }
    else {
        mod = PyImport_ImportModule("time");
        if (mod == NULL)
            return NULL;
        if (PyObject_HasAttrString(mod, "CLOCK_MONOTONIC")) {
            if (clock_id == NULL)
                clock_id = PyObject_GetAttrString(mod, "CLOCK_MONOTONIC");
        }
    }
    return Py_XNewRef(clock_id);
}

static PyObject *
get_zone(PyObject *self, PyObject *unused)
{
    if (mod != NULL)
        return Py_XNewRef(zone);
    mod = PyImport_ImportModule("time");
    if (mod == NULL)
        return NULL;
    if (zone == NULL) {
        zone = PyObject_GetAttrString(mod, "timezone");
        if (zone == NULL)
            return NULL;
        zone_name = PyObject_GetAttrString(mod, "tzname");
    }
    return Py_XNewRef(zone);
}

static int
fill_thread_time(void)
{
    if (thread_time == NULL) {
        thread_time = PyObject_GetAttrString(mod, "thread_time");
        if (thread_time == NULL)
            return -1;
    }
    return 0;
}

static PyObject *
get_thread_time(PyObject *self, PyObject *unused)
{
    if (mod == NULL) {
        mod = PyImport_ImportModule("time");
        if (mod == NULL || fill_thread_time() < 0)
            return NULL;
    }
    return Py_XNewRef(thread_time);
}

static int
fill_process_time(void)
{
    if (process_time == NULL)
        process_time = PyObject_GetAttrString(mod, "process_time");
    return process_time == NULL ? -1 : 0;
}

static int
load_more(void)
{
    return fill_process_time();
}

static int
ensure_mod(void)
{
    if (mod == NULL) {
        mod = PyImport_ImportModule("time");
        if (mod == NULL)
            return -1;
        return load_more();
    }
    return 0;
}

static PyObject *
get_process_time(PyObject *self, PyObject *unused)
{
    if (ensure_mod() < 0)
        return NULL;
    return Py_XNewRef(process_time);
}

/* A gate with no lazy site of its own: replaced by a setter. */
static PyObject *hooks;
static PyObject *hook_list;             /*~ OV101 hook_list */

static PyObject *
set_hooks(PyObject *self, PyObject *value)
{
    Py_XSETREF(hooks, Py_NewRef(value));
    Py_RETURN_NONE;
}

static PyObject *
get_hook_list(PyObject *self, PyObject *unused)
{
    if (hooks == NULL) {
        hooks = PyDict_New();
        if (hooks == NULL)
            return NULL;
        if (hook_list == NULL)
            hook_list = PyList_New(0);
    }
    return Py_XNewRef(hook_list);
}

/* An element of an array, a member of a struct: never rewritten. */
static PyObject *table[2];              /*~ OV101 table */
static PyObject *first_name;            /*~ OV101 first_name */
static struct {
    PyObject *codec;
} state;                                /*~ OV101 state */
static PyObject *codec_name;            /*~ OV101 codec_name */

static PyObject *
get_first_name(PyObject *self, PyObject *unused)
{
    if (table[0] == NULL) {
        table[0] = PyList_New(0);
        if (table[0] == NULL)
            return NULL;
        if (first_name == NULL)
            first_name = PyUnicode_FromString("first");
    }
    return Py_XNewRef(first_name);
}

static PyObject *
get_codec_name(PyObject *self, PyObject *unused)
{
    if (state.codec == NULL) {
        state.codec = PyImport_ImportModule("codecs");
        if (state.codec == NULL)
            return NULL;
        if (codec_name == NULL)
            codec_name = PyObject_GetAttrString(state.codec, "__name__");
    }
    return Py_XNewRef(codec_name);
}

/* A chain declared backwards: `leaf` waits on `middle`, which waits on
 * `root`, whose fix is unsafe (read at exit). */
static PyObject *leaf;                  /*~ OV101 leaf */
static PyObject *middle;                /*~ OV101 middle */
static PyObject *root;                  /*~ OV101 root */

static void
drop_root(void)
{
    Py_XDECREF(root);
}

static PyObject *
get_middle(PyObject *self, PyObject *unused)
{
    if (root == NULL) {
        if (Py_AtExit(drop_root) < 0)
            return NULL;
        root = PyImport_ImportModule("os");
        if (root == NULL)
            return NULL;
        if (middle == NULL)
            middle = PyObject_GetAttrString(root, "path");
    }
    return Py_XNewRef(middle);
}

static PyObject *
get_leaf(PyObject *self, PyObject *unused)
{
    if (middle == NULL) {
        middle = PyImport_ImportModule("posixpath");
        if (middle == NULL)
            return NULL;
        if (leaf == NULL)
            leaf = PyObject_GetAttrString(middle, "sep");
    }
    return Py_XNewRef(leaf);
}

/* Contrasts: the gate rewritten too; filled before, not around; an
 * early exit while it is NULL; `||` with the fill's own test. */
static PyObject *mod2;                  /*~ OV101 mod2 */
static PyObject *dumps;                 /*~ OV101 dumps */
static PyObject *loads;                 /*~ OV101 loads */
static PyObject *exit_name;             /*~ OV101 exit_name */
static PyObject *later;                 /*~ OV101 later */

static PyObject *
get_dumps(PyObject *self, PyObject *unused)
{
    if (mod2 == NULL) {
        mod2 = PyImport_ImportModule("json");
        if (mod2 == NULL)
            return NULL;
        if (dumps == NULL)
            dumps = PyObject_GetAttrString(mod2, "dumps");
    }
    return Py_XNewRef(dumps);
}

static PyObject *
get_loads(PyObject *self, PyObject *unused)
{
    if (mod == NULL) {
        mod = PyImport_ImportModule("time");
        if (mod == NULL)
            return NULL;
    }
    if (loads == NULL) {
        loads = PyUnicode_FromString("loads");
        if (loads == NULL)
            return NULL;
    }
    if (mod == NULL)
        return NULL;
    if (exit_name == NULL)
        exit_name = PyUnicode_FromString("exit");
    return Py_XNewRef(loads);
}

static PyObject *
get_later(PyObject *self, PyObject *unused)
{
    if (mod == NULL || later == NULL) {
        if (later == NULL)
            later = PyUnicode_FromString("later");
    }
    return Py_XNewRef(later);
}

static PyMethodDef methods[] = {
    {"monotonic", get_monotonic, METH_NOARGS, NULL},
    {"perf", get_perf, METH_NOARGS, NULL},
    {"sleeper", get_sleeper, METH_NOARGS, NULL},
    {"clock_id", get_clock_id, METH_NOARGS, NULL},
    {"zone", get_zone, METH_NOARGS, NULL},
    {"thread_time", get_thread_time, METH_NOARGS, NULL},
    {"process_time", get_process_time, METH_NOARGS, NULL},
    {"set_hooks", set_hooks, METH_O, NULL},
    {"hook_list", get_hook_list, METH_NOARGS, NULL},
    {"first_name", get_first_name, METH_NOARGS, NULL},
    {"codec_name", get_codec_name, METH_NOARGS, NULL},
    {"middle", get_middle, METH_NOARGS, NULL},
    {"leaf", get_leaf, METH_NOARGS, NULL},
    {"dumps", get_dumps, METH_NOARGS, NULL},
    {"loads", get_loads, METH_NOARGS, NULL},
    {"later", get_later, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, m_exec},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "objgate", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_objgate(void)
{
    return PyModuleDef_Init(&def);
}
