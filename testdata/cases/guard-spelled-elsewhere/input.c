/* Tests: the NULL guard of a lazy fill written outside the `if` that
 * tests it is still the guard: an object-like macro (one static, or
 * several joined by `||`), a function-like macro without parameters, a
 * macro through another, a `static inline` function of the unit that
 * returns the test, and an automatic local initialised with it (also
 * negated). Each static is a lazy site (OV101); a fix that would have to
 * rewrite a macro's body is unsafe. Contrasts: a local written again
 * after its initialiser, a function with more than a `return`, and a
 * static local flag (a process-wide flag, no NULL test) are no guard. */
#include <Python.h>

static PyObject *one;                   /*~ OV101 one */
#define NEED_ONE (one == NULL)

static PyObject *
get_one(PyObject *self, PyObject *unused)
{
    if (NEED_ONE) {
        one = PyUnicode_FromString("x");
        if (one == NULL)
            return NULL;
    }
    return Py_NewRef(one);
}

static PyObject *lbrace, *rbrace;       /*~ OV101 lbrace */ /*~ OV101 rbrace */
#define NEED_BRACES (lbrace == NULL || rbrace == NULL)

static PyObject *
braces(PyObject *self, PyObject *unused)
{
    if (NEED_BRACES) {
        lbrace = PyUnicode_FromString("{");
        rbrace = PyUnicode_FromString("}");
        if (lbrace == NULL || rbrace == NULL)
            return NULL;
    }
    return PyTuple_Pack(2, lbrace, rbrace);
}

static PyObject *lparen, *rparen;       /*~ OV101 lparen */ /*~ OV101 rparen */
#define NOT_READY() (!lparen || !rparen)

static PyObject *
parens(PyObject *self, PyObject *unused)
{
    if (NOT_READY()) {
        lparen = PyUnicode_FromString("(");
        rparen = PyUnicode_FromString(")");
        if (lparen == NULL || rparen == NULL)
            return NULL;
    }
    return PyTuple_Pack(2, lparen, rparen);
}

static PyObject *two;                   /*~ OV101 two */
#define IS_MISSING(o) ((o) == NULL)
#define NEED_TWO IS_MISSING(two)

static PyObject *
get_two(PyObject *self, PyObject *unused)
{
    if (NEED_TWO) {
        two = PyUnicode_FromString("2");
        if (two == NULL)
            return NULL;
    }
    return Py_NewRef(two);
}

static PyObject *cache;                 /*~ OV101 cache */

static inline int
need_init(void)
{
    return cache == NULL;
}

static PyObject *
get_cache(PyObject *self, PyObject *unused)
{
    if (need_init()) {
        cache = PyUnicode_FromString("c");
        if (cache == NULL)
            return NULL;
    }
    return Py_NewRef(cache);
}

static PyObject *lsq, *rsq;             /*~ OV101 lsq */ /*~ OV101 rsq */

static PyObject *
squares(PyObject *self, PyObject *unused)
{
    int missing = lsq == NULL || rsq == NULL;
    if (missing) {
        lsq = PyUnicode_FromString("[");
        rsq = PyUnicode_FromString("]");
        if (lsq == NULL || rsq == NULL)
            return NULL;
    }
    return PyTuple_Pack(2, lsq, rsq);
}

static PyObject *three;                 /*~ OV101 three */

static PyObject *
get_three(PyObject *self, PyObject *unused)
{
    const int ready = three != NULL;
    if (!ready) {
        three = PyUnicode_FromString("3");
        if (three == NULL)
            return NULL;
    }
    return Py_NewRef(three);
}

/* Contrasts. */
static PyObject *four;

static PyObject *
get_four(PyObject *self, PyObject *arg)
{
    int missing = four == NULL;
    if (arg != Py_None)
        missing = 1;
    if (missing) {
        Py_XSETREF(four, PyUnicode_FromString("4"));
        if (four == NULL)
            return NULL;
    }
    return Py_NewRef(four);
}

static PyObject *five;

static int
need_five(void)
{
    if (PyErr_Occurred())
        return 0;
    return five == NULL;
}

static PyObject *
get_five(PyObject *self, PyObject *unused)
{
    if (need_five()) {
        five = PyUnicode_FromString("5");
        if (five == NULL)
            return NULL;
    }
    return Py_NewRef(five);
}

static PyMethodDef methods[] = {
    {"one", get_one, METH_NOARGS, NULL},
    {"braces", braces, METH_NOARGS, NULL},
    {"parens", parens, METH_NOARGS, NULL},
    {"two", get_two, METH_NOARGS, NULL},
    {"cache", get_cache, METH_NOARGS, NULL},
    {"squares", squares, METH_NOARGS, NULL},
    {"three", get_three, METH_NOARGS, NULL},
    {"four", get_four, METH_O, NULL},
    {"five", get_five, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "spelled", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_spelled(void)
{
    return PyModuleDef_Init(&module);
}
