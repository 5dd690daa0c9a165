/* Tests: a lazy fill reached only past a test of other process-wide state
 * is unsafe to rewrite alone, whatever the spelling: the flag tested in a
 * caller (two calls up), a member of a static struct, a flag on either
 * side of `&&` or `||`, a counter, an early exit on a member, a flag read
 * through the file's own macro. A later interpreter would skip the block.
 * Tests on locals, parameters, enumerators, macros, a const array and what
 * a call does with a type's address are not process-wide state: those
 * fixes stay safe. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define NOT_YET(flag) (!(flag))

enum mode { MODE_SLOW, MODE_FAST };
#define LIMIT 8

static struct { int ready; int done; } module_state;
static int loaded;
static long fills;
static int warmed;
static PyTypeObject Thing_Type;
static const char KINDS[] = "bhil";

static PyObject *names = NULL;     /*~ OV101 names */
static PyObject *aliases = NULL;   /*~ OV101 aliases */
static PyObject *codecs = NULL;    /*~ OV101 codecs */
static PyObject *extras = NULL;    /*~ OV101 extras */
static PyObject *counted = NULL;   /*~ OV101 counted */
static PyObject *finished = NULL;  /*~ OV101 finished */
static PyObject *macro_set = NULL; /*~ OV101 macro_set */
static PyObject *plain = NULL;     /*~ OV101 plain */
static PyObject *by_mode = NULL;   /*~ OV101 by_mode */
static PyObject *typed = NULL;     /*~ OV101 typed */
static PyObject *kinds = NULL;     /*~ OV101 kinds */

/* Filled in a helper; the flag is tested two calls up. */
static int
fill_names(void)
{
    if (names == NULL) {
        names = PyList_New(0);
        if (names == NULL)
            return -1;
    }
    return 0;
}

static int
prepare(void)
{
    return fill_names();
}

static PyObject *
get_names(PyObject *self, PyObject *unused)
{
    static char ready = 0;
    if (ready == 0) {
        if (prepare() < 0)
            return NULL;
        ready = 1;
    }
    return Py_XNewRef(names);
}

/* A member of a static struct as the flag. */
static PyObject *
get_aliases(PyObject *self, PyObject *unused)
{
    if (!module_state.ready) {
        module_state.ready = 1;
        if (aliases == NULL)
            aliases = PyDict_New();
    }
    return Py_XNewRef(aliases);
}

/* The flag on the right of `&&`. */
static PyObject *
get_codecs(PyObject *self, PyObject *unused)
{
    if (!_Py_IsFinalizing() && loaded == 0) {
        loaded = 1;
        if (codecs == NULL)
            codecs = PyDict_New();
    }
    return Py_XNewRef(codecs);
}

/* The flag in `||`, tested with the fill on the right of `&&`. */
static PyObject *
get_extras(PyObject *self, PyObject *arg)
{
    if (arg == Py_None || !warmed) {
        warmed = 1;
        if (!extras && (extras = PyList_New(0)) == NULL)
            return NULL;
    }
    return Py_XNewRef(extras);
}

/* A counter, not a flag. */
static PyObject *
get_counted(PyObject *self, PyObject *unused)
{
    if (fills < 1) {
        fills++;
        if (counted == NULL)
            counted = PyList_New(0);
    }
    return Py_XNewRef(counted);
}

/* An early exit on a member. */
static PyObject *
get_finished(PyObject *self, PyObject *unused)
{
    if (module_state.done)
        Py_RETURN_NONE;
    module_state.done = 1;
    if (finished == NULL)
        finished = PyList_New(0);
    return Py_XNewRef(finished);
}

/* The flag read through the file's own macro. */
static PyObject *
get_macro_set(PyObject *self, PyObject *unused)
{
    static int filled;
    if (NOT_YET(filled)) {
        filled = 1;
        if (macro_set == NULL)
            macro_set = PySet_New(NULL);
    }
    return Py_XNewRef(macro_set);
}

/* Safe: a local flag and a parameter. */
static PyObject *
get_plain(PyObject *self, PyObject *arg)
{
    int wanted = arg != NULL;
    if (wanted && arg != Py_None) {
        if (plain == NULL)
            plain = PyList_New(0);
    }
    return Py_XNewRef(plain);
}

/* Safe: an enumerator and a macro. */
static PyObject *
get_by_mode(PyObject *self, PyObject *arg)
{
    enum mode mode = PyObject_IsTrue(arg) ? MODE_FAST : MODE_SLOW;
    if (mode == MODE_FAST && PyObject_Length(arg) < LIMIT) {
        if (by_mode == NULL)
            by_mode = PyDict_New();
    }
    return Py_XNewRef(by_mode);
}

/* Safe: what a call does with a type's address is not a test of it. */
static PyObject *
get_typed(PyObject *self, PyObject *unused)
{
    if (PyType_Ready(&Thing_Type) < 0)
        return NULL;
    if (typed == NULL)
        typed = PyTuple_Pack(1, (PyObject *)&Thing_Type);
    return Py_XNewRef(typed);
}

/* Safe: a const array never changes. */
static PyObject *
get_kinds(PyObject *self, PyObject *arg)
{
    const char *text = PyUnicode_AsUTF8(arg);
    if (text != NULL && strchr(KINDS, text[0]) != NULL) {
        if (kinds == NULL)
            kinds = PyDict_New();
    }
    return Py_XNewRef(kinds);
}

static PyMethodDef methods[] = {
    {"kinds", get_kinds, METH_O, NULL},
    {"names", get_names, METH_NOARGS, NULL},
    {"aliases", get_aliases, METH_NOARGS, NULL},
    {"codecs", get_codecs, METH_NOARGS, NULL},
    {"extras", get_extras, METH_O, NULL},
    {"counted", get_counted, METH_NOARGS, NULL},
    {"finished", get_finished, METH_NOARGS, NULL},
    {"macro_set", get_macro_set, METH_NOARGS, NULL},
    {"plain", get_plain, METH_O, NULL},
    {"by_mode", get_by_mode, METH_O, NULL},
    {"typed", get_typed, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};
