/* Tests: a function kept in a table of this file that an exit hook
 * walks runs at exit (Py_AtExit's hook, C's atexit one): a static it uses
 * gets no safe fix. Kept through a static helper (by_helper), stored
 * directly (by_store), inside a struct stored by address (by_struct),
 * in a table a C atexit hook walks through a local pointer (by_c_table).
 * Control: a table only a method walks (by_pending) keeps its fix. */
#include <Python.h>
#include <stdlib.h>

struct hooks {
    const char *name;
    void (*quit)(void);
};

static PyObject *by_helper = NULL;   /*~ OV101 by_helper */
static PyObject *by_store = NULL;    /*~ OV101 by_store */
static PyObject *by_struct = NULL;   /*~ OV101 by_struct */
static PyObject *by_c_table = NULL;  /*~ OV101 by_c_table */
static PyObject *by_pending = NULL;  /*~ OV101 by_pending */

static void (*quitters[8])(void);
static int nquitters;
static const struct hooks *hook_sets[8];
static int nhook_sets;
static void (*c_quitters[8])(void);
static int nc_quitters;
static void (*pending[8])(void);
static int npending;

static void
run_quitters(void)
{
    while (nquitters > 0)
        quitters[--nquitters]();
    while (nhook_sets > 0)
        hook_sets[--nhook_sets]->quit();
}

static void
run_c_quitters(void)
{
    int i;
    for (i = 0; i < nc_quitters; i++) {
        void (*f)(void) = c_quitters[i];
        f();
    }
}

static void
remember(void (*fn)(void))
{
    if (nquitters < 8)
        quitters[nquitters++] = fn;
}

static void forget_helper(void) { by_helper = NULL; }
static void forget_store(void) { by_store = NULL; }
static void forget_struct(void) { by_struct = NULL; }
static void forget_c_table(void) { by_c_table = NULL; }
static void forget_pending(void) { by_pending = NULL; }

static const struct hooks struct_hooks = {"struct", forget_struct};

static PyObject *
fill(PyObject *self, PyObject *unused)
{
    if (by_helper == NULL) {
        by_helper = PyList_New(0);
        remember(forget_helper);
    }
    if (by_store == NULL) {
        by_store = PyList_New(0);
        if (nquitters < 8)
            quitters[nquitters++] = forget_store;
    }
    if (by_struct == NULL) {
        by_struct = PyList_New(0);
        if (nhook_sets < 8)
            hook_sets[nhook_sets++] = &struct_hooks;
    }
    if (by_c_table == NULL) {
        by_c_table = PyList_New(0);
        if (nc_quitters < 8)
            c_quitters[nc_quitters++] = forget_c_table;
    }
    if (by_pending == NULL) {
        by_pending = PyList_New(0);
        if (npending < 8)
            pending[npending++] = forget_pending;
    }
    Py_RETURN_NONE;
}

static PyObject *
flush(PyObject *self, PyObject *unused)
{
    while (npending > 0)
        pending[--npending]();
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"fill", fill, METH_NOARGS, NULL},
    {"flush", flush, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "exit_tables", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_exit_tables(void)
{
    if (Py_AtExit(run_quitters) < 0 || atexit(run_c_quitters) != 0)
        return NULL;
    return PyModuleDef_Init(&def);
}
