/* Tests: a null pointer constant is any integer constant zero, through
 * casts and parentheses (C11 6.3.2.3), as older C code spells it in guards
 * and initialisers: `(PyObject *)NULL`, `(void *)0`, `0L`, `0x0`. Each
 * spelling is a NULL test, and one such term in a disjunction keeps every
 * static of the guard lazy. */
#include <Python.h>

static PyObject *k_a = 0, *k_b = (PyObject *)NULL, *k_c = 0L;  /*~ OV101 k_a */ /*~ OV101 k_b */ /*~ OV101 k_c */
static PyObject *hex_cached = (PyObject *)0;                   /*~ OV101 hex_cached */
static PyObject *early = ((void *)0);                          /*~ OV101 early */

static int
keys(void)
{
    if (k_a == 0 || 0L == k_b || k_c == (PyObject *)NULL) {
        k_a = PyUnicode_InternFromString("a");
        k_b = PyUnicode_InternFromString("b");
        k_c = PyUnicode_InternFromString("c");
        if (k_a == NULL || k_b == NULL || k_c == NULL)
            return -1;
    }
    return 0;
}

static PyObject *
cast_null(void)
{
    static PyObject *w = NULL;                 /*~ OV101 w */
    if (w == (PyObject *)NULL)
        w = PyDict_New();
    return w;
}

static PyObject *
void_zero(void)
{
    static PyObject *v;                        /*~ OV101 v */
    if (((void *)0) == v) {
        v = PyList_New(0);
    }
    return v;
}

static PyObject *
hex(void)
{
    if (hex_cached == 0x0)
        hex_cached = PyLong_FromLong(16);
    return hex_cached;
}

static PyObject *
early_return(void)
{
    if (early != (PyObject *)0L)
        return early;
    early = PyTuple_New(0);
    return early;
}

static PyObject *
abc(PyObject *self, PyObject *unused)
{
    PyObject *d = cast_null(), *l = void_zero(), *h = hex(), *e = early_return();
    if (keys() < 0 || d == NULL || l == NULL || h == NULL || e == NULL)
        return NULL;
    return PyTuple_Pack(3, k_a, k_b, k_c);
}

static PyMethodDef methods[] = {{"abc", abc, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "nullspell", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_nullspell(void)
{
    return PyModule_Create(&def);
}
