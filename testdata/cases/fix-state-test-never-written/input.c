/* Tests: a static that the unit never writes holds the same value in
 * every interpreter, so a test that reads it is not a process-wide flag:
 * the keyword list of PyArg_ParseTupleAndKeywords, a method table given to
 * PyModule_AddFunctions, a table read by index, in the function and in a
 * caller of the fill. The fixes stay safe. Controls, unsafe: a flag set
 * through its address, through a macro of the file, by a function of the
 * unit given the table, a global with external linkage (another unit may
 * write it) and an extern declared in the function, each tested beside a
 * parameter. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define MARK(flag) ((flag) = 1)

static char *kwlist[] = {"string", "sep", NULL};
static PyMethodDef extra_methods[] = {
    {NULL, NULL, 0, NULL},
};
static const char *modes[] = {"r", "w", NULL};
static int by_address;
static int by_macro;
static int table_flags[4];
int exported_ready;

static PyObject *sep_default = NULL;   /*~ OV101 sep_default */
static PyObject *pattern_cache = NULL; /*~ OV101 pattern_cache */
static PyObject *extra = NULL;         /*~ OV101 extra */
static PyObject *by_index = NULL;      /*~ OV101 by_index */
static PyObject *addressed = NULL;     /*~ OV101 addressed */
static PyObject *marked = NULL;        /*~ OV101 marked */
static PyObject *tabled = NULL;        /*~ OV101 tabled */
static PyObject *exported = NULL;      /*~ OV101 exported */
static PyObject *declared = NULL;      /*~ OV101 declared */

static PyObject *
get_pattern_cache(void)
{
    if (pattern_cache == NULL)
        pattern_cache = PyDict_New();
    return pattern_cache;
}

static PyObject *
split(PyObject *self, PyObject *args, PyObject *kwargs)
{
    PyObject *string, *sep = NULL;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:split", kwlist, &string, &sep))
        return NULL;
    if (sep == NULL) {
        if (sep_default == NULL)
            sep_default = PyUnicode_FromString(" ");
        sep = sep_default;
    }
    return PyTuple_Pack(3, string, sep, get_pattern_cache());
}

static PyObject *
mode_name(PyObject *self, PyObject *arg)
{
    long i = PyLong_AsLong(arg);
    if (i < 0 || modes[i] == NULL)
        return NULL;
    if (by_index == NULL)
        by_index = PyUnicode_FromString(modes[0]);
    return Py_NewRef(by_index);
}

static void
set_flag(int *flag)
{
    *flag = 1;
}

static void
set_entry(int *flags)
{
    flags[0] = 1;
}

static PyObject *
controls(PyObject *self, PyObject *unused)
{
    extern int declared_ready;
    if (!by_address && unused != Py_None) {
        if (addressed == NULL)
            addressed = PyLong_FromLong(1);
        set_flag(&by_address);
    }
    if (!by_macro && unused != Py_None) {
        if (marked == NULL)
            marked = PyLong_FromLong(2);
        MARK(by_macro);
    }
    if (!table_flags[0] && unused != Py_None) {
        if (tabled == NULL)
            tabled = PyLong_FromLong(3);
        set_entry(table_flags);
    }
    if (!exported_ready && unused != Py_None) {
        if (exported == NULL)
            exported = PyLong_FromLong(4);
    }
    if (!declared_ready && unused != Py_None) {
        if (declared == NULL)
            declared = PyLong_FromLong(5);
    }
    return PyTuple_Pack(5, addressed, marked, tabled, exported, declared);
}

static int
exec_module(PyObject *m)
{
    if (PyModule_AddFunctions(m, extra_methods) < 0)
        return -1;
    if (extra == NULL)
        extra = PyUnicode_FromString("extra");
    return 0;
}

/* Control, unsafe: the first-call idiom tests and sets its flag in one
 * expression (tree-sitter-c reads `!called++` as `(!called)++`). */
static PyObject *
first_call(PyObject *self, PyObject *unused)
{
    static int called = 0;
    static PyObject *first = NULL;     /*~ OV101 first */
    if (!called++) {
        if (first == NULL)
            first = PyList_New(0);
    }
    return Py_XNewRef(first);
}
