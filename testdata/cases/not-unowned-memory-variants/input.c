/* Tests: a lazily filled static pointer that holds no Python object and
 * stores only memory it does not own is no site, whatever its type: the C
 * library's environment string (`getenv`), a standard stream (`FILE *`,
 * also through an object-like macro), a struct table's element address, a
 * string literal on both arms of `?:`, a capsule's pointer (another
 * module's C API), a helper of the unit that returns `getenv`'s result,
 * and a function pointer. OV201 with its advice to free stays for
 * memory the static owns (PyMem_Malloc, fopen, strdup) and for a value
 * oncevar cannot follow (a function outside the unit); an object pointer
 * keeps its OV101 even when it stores an address. */
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    const char *name;
    int value;
};

static const struct entry entries[] = {{"a", 1}, {"b", 2}};
extern struct entry *make_entries(void);

static int
fast_impl(int x)
{
    return x + 1;
}

static const char *
home_dir(void)
{
    return getenv("HOME");
}

#define LOG_TARGET stderr

static FILE *log_stream;
static const struct entry *chosen;
static int (*impl)(int);
static void *capi;
static const char *encoding;
static const char *home2;
static FILE *err_stream;
static char *buffer;                    /*~ OV201 buffer */
static FILE *trace;                     /*~ OV201 trace */
static char *copy;                      /*~ OV201 copy */
static struct entry *built;             /*~ OV201 built */
static PyTypeObject *long_type;         /*~ OV101 long_type */

static PyObject *
run(PyObject *self, PyObject *arg)
{
    static const char *home = NULL;
    if (home == NULL)
        home = getenv("HOME");
    if (!log_stream)
        log_stream = stderr;
    if (!chosen)
        chosen = &entries[1];
    if (!impl)
        impl = fast_impl;
    if (!capi)
        capi = PyCapsule_Import("mod._C_API", 0);
    if (!encoding)
        encoding = arg == Py_None ? "utf-8" : "latin-1";
    if (!home2)
        home2 = home_dir();
    if (!err_stream)
        err_stream = LOG_TARGET;
    if (!buffer)
        buffer = PyMem_Malloc(64);
    if (!trace)
        trace = fopen("trace.log", "w");
    if (!copy)
        copy = strdup(home != NULL ? home : "");
    if (!built)
        built = make_entries();
    if (!long_type)
        long_type = &PyLong_Type;
    fprintf(log_stream, "%s %d %d %p %s %s %s %p %p\n", home, chosen->value, impl(1), capi,
            encoding, home2, copy, (void *)err_stream, (void *)trace);
    return PyLong_FromLong(built->value + (buffer != NULL) + (long_type != NULL));
}

static PyMethodDef methods[] = {
    {"run", run, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "unowned", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_unowned(void)
{
    return PyModuleDef_Init(&def);
}
