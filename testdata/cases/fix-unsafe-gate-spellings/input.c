/* Tests: a lazy fill under a gate that stays process-wide is unsafe to
 * rewrite alone, whatever the gate: a pointer static that oncevar never
 * rewrites (no Python object: a dlopen handle, a FILE *, calloc'd memory,
 * a `const char *` set to a literal), with or without a NULL guard of the
 * object's own under it, around the fill or as an early exit while it is
 * set; an int flag behind an object-like macro (also through another), a
 * statement macro (`ONCE(f) { … }`), or a small function of the unit
 * whose result the flag decides (a test of it, or its returned value). A later interpreter skips the block and finds its slot empty.
 * Contrasts that stay safe: a pointer static filled in its own `if`
 * before the object's (not around it), an early exit while it is NULL
 * (an error path every interpreter passes), a gate on a local or a
 * parameter, a function whose result no static decides. */
#include <Python.h>
#include <dlfcn.h>
#include <stdio.h>

static void *lib;                       /*~ OV201 lib */
static PyObject *version;               /*~ OV101 version */

static PyObject *
get_version(PyObject *self, PyObject *unused)
{
    if (lib == NULL) {
        lib = dlopen("libz.so.1", RTLD_NOW);
        if (lib == NULL)
            return NULL;
        if (version == NULL) {
            version = PyUnicode_FromString("1.2");
            if (version == NULL)
                return NULL;
        }
    }
    return Py_XNewRef(version);
}

static FILE *log_fp;                    /*~ OV201 log_fp */
static PyObject *log_name;              /*~ OV101 log_name */

static PyObject *
get_log_name(PyObject *self, PyObject *unused)
{
    if (!log_fp) {
        log_fp = fopen("/tmp/x.log", "a");
        if (!log_name)
            log_name = PyUnicode_FromString("log");
    }
    return Py_XNewRef(log_name);
}

static double *coeffs;                  /*~ OV201 coeffs */
static PyObject *first_coeff;           /*~ OV101 first_coeff */

static PyObject *
get_first_coeff(PyObject *self, PyObject *unused)
{
    if (coeffs == NULL) {
        coeffs = PyMem_Calloc(16, sizeof(double));
        if (coeffs == NULL)
            return PyErr_NoMemory();
        if (first_coeff == NULL && (first_coeff = PyFloat_FromDouble(coeffs[0])) == NULL)
            return NULL;
    }
    return Py_XNewRef(first_coeff);
}

static const char *mode;
static PyObject *mode_table;            /*~ OV101 mode_table */

static PyObject *
get_mode_table(PyObject *self, PyObject *unused)
{
    if (!mode) {
        mode = "fast";
        mode_table = PyDict_New();
        if (mode_table == NULL)
            return NULL;
    }
    return Py_XNewRef(mode_table);
}

static const char *loaded_from;
static PyObject *builtin_table;         /*~ OV101 builtin_table */

static PyObject *
get_builtin_table(PyObject *self, PyObject *unused)
{
    if (loaded_from == NULL) {
        loaded_from = "builtin";
        if (builtin_table == NULL)
            builtin_table = PyDict_New();
    }
    return Py_XNewRef(builtin_table);
}

/* The handle is set once; the fill is skipped past an early exit while
 * it is set. */
static void *plugin;                    /*~ OV201 plugin */
static PyObject *plugin_name;           /*~ OV101 plugin_name */

static PyObject *
get_plugin_name(PyObject *self, PyObject *unused)
{
    if (plugin != NULL)
        goto done;
    plugin = dlopen("libplugin.so", RTLD_NOW);
    if (plugin_name == NULL)
        plugin_name = PyUnicode_FromString("plugin");
done:
    return Py_XNewRef(plugin_name);
}

/* An int flag behind macros and a function. */
static int loaded;
#define FIRST_CALL (!loaded && (loaded = 1))
static PyObject *first_table;           /*~ OV101 first_table */

static PyObject *
get_first_table(PyObject *self, PyObject *unused)
{
    if (FIRST_CALL) {
        if (first_table == NULL) {
            first_table = PyDict_New();
            if (first_table == NULL)
                return NULL;
        }
    }
    return Py_XNewRef(first_table);
}

static int warmed;
#define NOT_WARM NOT_SET(warmed)
#define NOT_SET(f) (!(f))
static PyObject *warm_table;            /*~ OV101 warm_table */

static PyObject *
get_warm_table(PyObject *self, PyObject *unused)
{
    if (NOT_WARM) {
        warmed = 1;
        if (warm_table == NULL)
            warm_table = PyDict_New();
    }
    return Py_XNewRef(warm_table);
}

#define ONCE(flag) if (!(flag) && ((flag) = 1))

static PyObject *
get_stmt_table(PyObject *self, PyObject *unused)
{
    static int stmt_loaded;
    static PyObject *stmt_table;        /*~ OV101 stmt_table */
    ONCE(stmt_loaded) {
        if (stmt_table == NULL) {
            stmt_table = PyDict_New();
            if (stmt_table == NULL)
                return NULL;
        }
    }
    return Py_XNewRef(stmt_table);
}

static int
first_time(void)
{
    static int done;
    if (done)
        return 0;
    done = 1;
    return 1;
}

static PyObject *once_table;            /*~ OV101 once_table */

static PyObject *
get_once_table(PyObject *self, PyObject *unused)
{
    if (first_time()) {
        if (once_table == NULL) {
            once_table = PyDict_New();
            if (once_table == NULL)
                return NULL;
        }
    }
    return Py_XNewRef(once_table);
}

static int counter;

static int
next_count(void)
{
    return ++counter > 1;
}

static PyObject *counted_table;         /*~ OV101 counted_table */

static PyObject *
get_counted_table(PyObject *self, PyObject *unused)
{
    if (!next_count()) {
        if (counted_table == NULL)
            counted_table = PyDict_New();
    }
    return Py_XNewRef(counted_table);
}

/* Contrasts: safe. */
static PyThread_type_lock lock;         /*~ OV201 lock */
static PyObject *locked_cache;          /*~ OV101 locked_cache */

static PyObject *
get_locked_cache(PyObject *self, PyObject *unused)
{
    if (lock == NULL) {
        lock = PyThread_allocate_lock();
        if (lock == NULL)
            return PyErr_NoMemory();
    }
    if (locked_cache == NULL) {
        locked_cache = PyDict_New();
        if (locked_cache == NULL)
            return NULL;
    }
    return Py_XNewRef(locked_cache);
}

static PyThread_type_lock flat_lock;    /*~ OV201 flat_lock */
static PyObject *flat_cache;            /*~ OV101 flat_cache */

static PyObject *
get_flat_cache(PyObject *self, PyObject *unused)
{
    if (flat_lock == NULL)
        flat_lock = PyThread_allocate_lock();
    if (flat_lock == NULL)
        return PyErr_NoMemory();
    if (flat_cache == NULL) {
        flat_cache = PyDict_New();
        if (flat_cache == NULL)
            return NULL;
    }
    return Py_XNewRef(flat_cache);
}

static PyObject *local_cache;           /*~ OV101 local_cache */

static PyObject *
get_local_cache(PyObject *self, PyObject *arg)
{
    const char *how = arg == Py_None ? NULL : "x";
    if (how == NULL) {
        if (local_cache == NULL)
            local_cache = PyDict_New();
    }
    return Py_XNewRef(local_cache);
}

static PyObject *param_cache;           /*~ OV101 param_cache */

static PyObject *
fill_param_cache(const char *how)
{
    if (how == NULL) {
        if (param_cache == NULL)
            param_cache = PyDict_New();
    }
    return Py_XNewRef(param_cache);
}

static PyObject *
get_param_cache(PyObject *self, PyObject *unused)
{
    return fill_param_cache(NULL);
}

static int
always(void)
{
    return 1;
}

static PyObject *plain_cache;           /*~ OV101 plain_cache */

static PyObject *
get_plain_cache(PyObject *self, PyObject *unused)
{
    if (always()) {
        if (plain_cache == NULL)
            plain_cache = PyDict_New();
    }
    return Py_XNewRef(plain_cache);
}

static PyMethodDef methods[] = {
    {"version", get_version, METH_NOARGS, NULL},
    {"log_name", get_log_name, METH_NOARGS, NULL},
    {"first_coeff", get_first_coeff, METH_NOARGS, NULL},
    {"mode_table", get_mode_table, METH_NOARGS, NULL},
    {"builtin_table", get_builtin_table, METH_NOARGS, NULL},
    {"plugin_name", get_plugin_name, METH_NOARGS, NULL},
    {"first_table", get_first_table, METH_NOARGS, NULL},
    {"warm_table", get_warm_table, METH_NOARGS, NULL},
    {"stmt_table", get_stmt_table, METH_NOARGS, NULL},
    {"once_table", get_once_table, METH_NOARGS, NULL},
    {"counted_table", get_counted_table, METH_NOARGS, NULL},
    {"locked_cache", get_locked_cache, METH_NOARGS, NULL},
    {"flat_cache", get_flat_cache, METH_NOARGS, NULL},
    {"local_cache", get_local_cache, METH_O, NULL},
    {"param_cache", get_param_cache, METH_NOARGS, NULL},
    {"plain_cache", get_plain_cache, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "gate", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_gate(void)
{
    return PyModuleDef_Init(&module);
}
