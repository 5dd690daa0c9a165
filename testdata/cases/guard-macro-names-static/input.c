/* Tests: a static used only through a macro of the file whose whole body
 * is the static or one of its caches is used there: an element-access
 * macro (`#define CONST_OBJ(i) const_table[i]`, `*(rev_table + (i))`, an
 * object-like `#define FIRST_NAME (names[0])`), and an object-like macro
 * aliasing a pointer static (`#define CACHE my_static_cache`) used in the
 * guard and the store. Each is a lazy site (no site at all before); the
 * pointer's fix is unsafe (oncevar never rewrites a macro's body). */
#include <Python.h>

enum { K_NONE, K_ZERO, K_EMPTY, K_COUNT };
static PyObject *const_table[K_COUNT];          /*~ OV101 const_table */
#define CONST_OBJ(i) const_table[i]
static PyObject *rev_table[2];                  /*~ OV101 rev_table */
#define REV(i) (*(rev_table + (i)))
static PyObject *names[2];                      /*~ OV101 names */
#define FIRST_NAME (names[0])
static PyObject *my_static_cache;               /*~ OV101 my_static_cache */
#define CACHE my_static_cache

static PyObject *
get_constant(PyObject *self, PyObject *arg)
{
    long which = PyLong_AsLong(arg) % K_COUNT;
    if (CONST_OBJ(K_NONE) == NULL) {
        CONST_OBJ(K_NONE) = Py_None;
        CONST_OBJ(K_ZERO) = PyLong_FromLong(0);
        if (CONST_OBJ(K_ZERO) == NULL)
            return NULL;
        CONST_OBJ(K_EMPTY) = PyTuple_New(0);
        if (CONST_OBJ(K_EMPTY) == NULL)
            return NULL;
    }
    return Py_NewRef(CONST_OBJ(which < 0 ? 0 : which));
}

static PyObject *
get_rev(PyObject *self, PyObject *unused)
{
    if (!REV(1)) {
        REV(1) = PyLong_FromLong(1);
        if (!REV(1))
            return NULL;
    }
    return Py_NewRef(REV(1));
}

static PyObject *
get_first(PyObject *self, PyObject *unused)
{
    if (FIRST_NAME == NULL)
        FIRST_NAME = PyUnicode_InternFromString("first");
    return Py_XNewRef(FIRST_NAME);
}

static PyObject *
get_cached(PyObject *self, PyObject *unused)
{
    if (CACHE == NULL) {
        CACHE = PyUnicode_InternFromString("cached");
        if (CACHE == NULL)
            return NULL;
    }
    return Py_NewRef(CACHE);
}

static PyMethodDef methods[] = {
    {"get_constant", get_constant, METH_O, NULL},
    {"get_rev", get_rev, METH_NOARGS, NULL},
    {"get_first", get_first, METH_NOARGS, NULL},
    {"get_cached", get_cached, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "macronames", NULL, 0, methods};
PyMODINIT_FUNC PyInit_macronames(void) { return PyModuleDef_Init(&def); }
