/* Tests: an object filled at run time under a process-wide flag that is
 * its only guard (`static int inited; if (!inited) { table = …; inited =
 * 1; }` in a method) is filled lazily, on first use: OV101, its fix unsafe
 * naming the flag (a later interpreter would skip the block and find its
 * own slot empty). Spelled with a function-scope flag, a file-scope one
 * tested `== 0`, a `bool`, an early return and a `goto` on the flag, the
 * flag set before the fill, two objects under one flag, a function-scope
 * object, a fill extending itself (`table = f(p, table)`), and a helper
 * named like an init that a method calls (`ensure_initialized()`).
 * Controls: the same flag in the module's exec function, a plain store
 * there, and a flag in an init-named helper only an init-named function
 * calls stay set once (OV301); memory filled under a flag is no site. */
#include <Python.h>
#include <stdbool.h>

static PyObject *table;                 /*~ OV101 table */
static PyObject *counted;               /*~ OV101 counted */
static PyObject *ready_list;            /*~ OV101 ready_list */
static PyObject *early;                 /*~ OV101 early */
static PyObject *jumped;                /*~ OV101 jumped */
static PyObject *first;                 /*~ OV101 first */
static PyObject *left, *right;          /*~ OV101 left */ /*~ OV101 right */
static PyObject *joined;                /*~ OV101 joined */
static PyObject *at_exec;               /*~ OV301 at_exec */
static PyObject *plain_exec;            /*~ OV301 plain_exec */
static PyObject *ensured;               /*~ OV101 ensured */
static PyObject *chained;               /*~ OV301 chained */
static char *buffer;

static int counted_inited;
static bool list_ready = false;
static int early_done;
static int jumped_done;

static PyObject *
get_table(PyObject *self, PyObject *unused)
{
    static int inited;
    if (!inited) {
        table = PyDict_New();
        if (table == NULL)
            return NULL;
        inited = 1;
    }
    return Py_NewRef(table);
}

static PyObject *
get_counted(PyObject *self, PyObject *unused)
{
    if (counted_inited == 0) {
        counted = PyLong_FromLong(0);
        if (counted == NULL)
            return NULL;
        counted_inited = 1;
    }
    return Py_NewRef(counted);
}

static PyObject *
get_ready_list(PyObject *self, PyObject *unused)
{
    if (list_ready == false) {
        ready_list = PyList_New(0);
        if (ready_list == NULL)
            return NULL;
        list_ready = true;
    }
    return Py_NewRef(ready_list);
}

static PyObject *
get_early(PyObject *self, PyObject *unused)
{
    if (early_done)
        return Py_NewRef(early);
    early = PyTuple_New(0);
    if (early == NULL)
        return NULL;
    early_done = 1;
    return Py_NewRef(early);
}

static PyObject *
get_jumped(PyObject *self, PyObject *unused)
{
    if (jumped_done)
        goto done;
    jumped = PyFrozenSet_New(NULL);
    if (jumped == NULL)
        return NULL;
    jumped_done = 1;
done:
    return Py_NewRef(jumped);
}

static PyObject *
get_first(PyObject *self, PyObject *unused)
{
    static int inited;
    if (!inited) {
        inited = 1;
        first = PyUnicode_FromString("first");
        if (first == NULL)
            return NULL;
    }
    return Py_XNewRef(first);
}

static PyObject *
get_pair(PyObject *self, PyObject *unused)
{
    static int inited;
    if (!inited) {
        left = PyList_New(0);
        right = PyList_New(0);
        if (left == NULL || right == NULL)
            return NULL;
        inited = 1;
    }
    return PyTuple_Pack(2, left, right);
}

static PyObject *
get_joined(PyObject *self, PyObject *unused)
{
    static int inited;
    static PyObject *local;             /*~ OV101 local */
    if (!inited) {
        PyObject *prefix = PyUnicode_FromString("a");
        if (prefix == NULL)
            return NULL;
        joined = PyUnicode_FromString("b");
        if (joined == NULL)
            return NULL;
        joined = PyUnicode_Concat(prefix, joined);
        local = PyUnicode_FromString("c");
        if (joined == NULL || local == NULL)
            return NULL;
        inited = 1;
    }
    return PyTuple_Pack(2, joined, local);
}

static PyObject *
get_exec(PyObject *self, PyObject *unused)
{
    return PyTuple_Pack(2, at_exec, plain_exec);
}

static int
ensure_initialized(void)
{
    static int initialized;
    if (!initialized) {
        ensured = PyDict_New();
        if (ensured == NULL)
            return -1;
        initialized = 1;
    }
    return 0;
}

static PyObject *
get_ensured(PyObject *self, PyObject *unused)
{
    static int inited;
    if (!inited) {
        buffer = PyMem_Malloc(16);
        inited = 1;
    }
    if (ensure_initialized() < 0)
        return NULL;
    return Py_NewRef(ensured);
}

static int
init_types(void)
{
    static int done;
    if (!done) {
        chained = PyDict_New();
        if (chained == NULL)
            return -1;
        done = 1;
    }
    return 0;
}

int
flagonly_init_types(PyObject *m)
{
    return init_types();
}

static PyMethodDef methods[] = {
    {"table", get_table, METH_NOARGS, NULL},
    {"counted", get_counted, METH_NOARGS, NULL},
    {"ready_list", get_ready_list, METH_NOARGS, NULL},
    {"early", get_early, METH_NOARGS, NULL},
    {"jumped", get_jumped, METH_NOARGS, NULL},
    {"first", get_first, METH_NOARGS, NULL},
    {"pair", get_pair, METH_NOARGS, NULL},
    {"joined", get_joined, METH_NOARGS, NULL},
    {"exec", get_exec, METH_NOARGS, NULL},
    {"ensured", get_ensured, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
flagonly_exec(PyObject *m)
{
    static int inited;
    if (!inited) {
        at_exec = PyDict_New();
        if (at_exec == NULL)
            return -1;
        inited = 1;
    }
    plain_exec = PyList_New(0);
    if (plain_exec == NULL)
        return -1;
    return 0;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, flagonly_exec},
    {0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "flagonly", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_flagonly(void)
{
    return PyModuleDef_Init(&def);
}
