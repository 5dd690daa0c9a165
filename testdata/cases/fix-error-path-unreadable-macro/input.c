/* Tests: a Py_DECREF of the cache followed by a macro of the unit that
 * leaves the function is read through the macro, not carried on to the
 * function's later success return: a FAIL() defined in two #if branches
 * (both leave with NULL), a RAISE_NULL() that leaves through another
 * macro. On f276e22 both keys were BORROWED and safe (the leak the
 * realworld error-path-decref input has, kept); bc96375 made them unknown
 * (unsafe); each expansion is read now, and both stay owning, safe
 * (fix-error-path-macro-expansions has more spellings). The drops follow
 * a failed hash of the cached str, which never fails: a drop taken would
 * leave the static naming a released object, a use after free on the next
 * call (the e2e run on 3.10.13 crashed when they followed a test of the
 * argument). Control: a macro that names no return or goto (LOG_DROP) does
 * not leave, and the key borrows (the module keeps the object alive, so
 * the program is sound as it is: each sub-interpreter of the e2e run
 * releases only what it took). */
#include <Python.h>

#ifdef Py_DEBUG
#define FAIL() do { fprintf(stderr, "fail\n"); return NULL; } while (0)
#else
#define FAIL() do { return NULL; } while (0)
#endif

#define RAISE_RET(v) do { return (v); } while (0)
#define RAISE_NULL() RAISE_RET(NULL)
#define LOG_DROP() ((void)0)

static PyObject *two_branches = NULL;   /*~ OV101 two_branches */
static PyObject *two_levels = NULL;     /*~ OV101 two_levels */
static PyObject *logged = NULL;         /*~ OV101 logged */

static PyObject *
first(PyObject *self, PyObject *arg)
{
    if (two_branches == NULL) {
        two_branches = PyUnicode_FromString("a");
        if (two_branches == NULL)
            return NULL;
    }
    if (PyObject_Hash(two_branches) == -1) {
        Py_DECREF(two_branches);
        FAIL();
    }
    return PyUnicode_Concat(two_branches, arg);
}

static PyObject *
second(PyObject *self, PyObject *arg)
{
    if (two_levels == NULL) {
        two_levels = PyUnicode_FromString("b");
        if (two_levels == NULL)
            return NULL;
    }
    if (PyObject_Hash(two_levels) == -1) {
        Py_DECREF(two_levels);
        RAISE_NULL();
    }
    return PyUnicode_Concat(two_levels, arg);
}

static PyObject *
third(PyObject *self, PyObject *arg)
{
    if (logged == NULL) {
        logged = PyUnicode_FromString("c");
        if (logged == NULL)
            return NULL;
        if (PyObject_SetAttrString(self, "_logged", logged) < 0) {
            Py_CLEAR(logged);
            return NULL;
        }
        Py_DECREF(logged); /* the module keeps it alive */
        LOG_DROP();
    }
    return PyUnicode_Concat(logged, arg);
}

static PyMethodDef methods[] = {
    {"first", first, METH_O, NULL},
    {"second", second, METH_O, NULL},
    {"third", third, METH_O, NULL},
    {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot slots[] = {{0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "unreadable", NULL, 0, methods, slots};
PyMODINIT_FUNC PyInit_unreadable(void) { return PyModuleDef_Init(&def); }
