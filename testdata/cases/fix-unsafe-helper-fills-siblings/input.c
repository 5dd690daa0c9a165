/* Tests: a helper that a lazy site's guard runs fills other statics too;
 * once the site is per interpreter, every new interpreter runs the helper
 * again and overwrites the process-wide others, so the statics one guard
 * fills are fixed together or not at all. Unsafe: the helper called in
 * the guard's condition, in the guarded block, two calls deep, a macro of
 * the file that the helper invokes. Safe: a helper that fills only the
 * site, one whose other static is a lazy site of its own with a safe fix
 * (both rewritten), and a call in the right operand of the guard's `&&`
 * that takes both addresses (`d_first == NULL && init_pair(&d_first,
 * &d_second)`: the second is filled under the first's guard, a lazy site
 * too, and both are rewritten; before, `d_second` was no site and
 * `d_first`'s fix unsafe). */
#include <Python.h>

static PyObject *a_first = NULL;   /*~ OV101 a_first */
static PyObject *a_second = NULL;  /*~ OV301 a_second */
static PyObject *b_first = NULL;   /*~ OV101 b_first */
static PyObject *b_second = NULL;  /*~ OV301 b_second */
static PyObject *c_first = NULL;   /*~ OV101 c_first */
static PyObject *c_second = NULL;  /*~ OV301 c_second */
static PyObject *d_first = NULL;   /*~ OV101 d_first */
static PyObject *d_second = NULL;  /*~ OV101 d_second */
static PyObject *h_first = NULL;   /*~ OV101 h_first */
static PyObject *h_second = NULL;  /*~ OV301 h_second */
static PyObject *alone = NULL;     /*~ OV101 alone */
static PyObject *g_first = NULL;   /*~ OV101 g_first */
static PyObject *g_second = NULL;  /*~ OV101 g_second */

static int
init_a(void)
{
    a_first = PyUnicode_InternFromString("first");
    if (a_first == NULL)
        return -1;
    a_second = PyUnicode_InternFromString("second");
    return a_second == NULL ? -1 : 0;
}

static int
init_b(void)
{
    b_first = PyUnicode_InternFromString("first");
    b_second = PyUnicode_InternFromString("second");
    return (b_first && b_second) ? 0 : -1;
}

static int
init_c_more(void)
{
    c_second = PyUnicode_InternFromString(",");
    return c_second ? 0 : -1;
}

static int
init_c(void)
{
    c_first = PyUnicode_InternFromString(".");
    if (c_first == NULL)
        return -1;
    return init_c_more();
}

static int
init_pair(PyObject **first, PyObject **second)
{
    *first = PyUnicode_InternFromString("d1");
    *second = PyUnicode_InternFromString("d2");
    return (*first && *second) ? 0 : -1;
}

#define SET_H_SECOND() (h_second = PyUnicode_InternFromString("h2"))

static int
init_h(void)
{
    h_first = PyUnicode_InternFromString("h1");
    if (h_first == NULL || SET_H_SECOND() == NULL)
        return -1;
    return 0;
}

static int
init_alone(void)
{
    alone = PyDict_New();
    return alone ? 0 : -1;
}

static int
init_g(void)
{
    g_first = PyList_New(0);
    if (g_second == NULL)
        g_second = PyList_New(0);
    return (g_first && g_second) ? 0 : -1;
}

static PyObject *
get_all(PyObject *self, PyObject *unused)
{
    if (a_first == NULL && init_a() < 0)
        return NULL;
    if (!b_first) {
        if (init_b() < 0)
            return NULL;
    }
    if (c_first == NULL) {
        if (init_c() < 0)
            return NULL;
    }
    if (d_first == NULL && init_pair(&d_first, &d_second) < 0)
        return NULL;
    if (h_first == NULL && init_h() < 0)
        return NULL;
    if (alone == NULL && init_alone() < 0)
        return NULL;
    if (g_first == NULL && init_g() < 0)
        return NULL;
    return Py_BuildValue("(OOOOOOOOOOOO)", a_first, a_second, b_first, b_second,
                         c_first, c_second, d_first, d_second, h_first, h_second,
                         alone, g_second);
}

static PyMethodDef methods[] = {
    {"get_all", get_all, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "helper_fills", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_helper_fills(void)
{
    return PyModuleDef_Init(&def);
}
