/* Tests: statics reached through a table of their addresses. Filled by a
 * loop `*strings[i].slot = make(...)` under a guard of the statics, they
 * are lazy (OV101); cleared by `Py_CLEAR(*all[i])` in a loop, released
 * (OV102). The address in the table outlives any interpreter, so no fix
 * is safe. A designated member (`.slot = &v`) and a table local to the
 * filling function count as well. Control: a table only read through
 * (`*seen[i] != NULL`) writes nothing: its static filled nowhere else is
 * no site. */
#include <Python.h>

static PyObject *s_lt, *s_gt;                   /*~ OV101 s_lt */ /*~ OV101 s_gt */
static PyObject *s_a, *s_b;                     /*~ OV102 s_a */ /*~ OV102 s_b */
static PyObject *k_one, *k_two;                 /*~ OV101 k_one */ /*~ OV101 k_two */
static PyObject *only_read;

static struct { PyObject **slot; const char *text; } strings[] = {
    {&s_lt, "<"},
    {&s_gt, ">"},
};

static PyObject **const all_strings[] = {&s_a, &s_b};
static PyObject **const seen[] = {&only_read};

static int
intern_strings(void)
{
    size_t i;
    if (s_lt != NULL && s_gt != NULL)
        return 0;
    for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        *strings[i].slot = PyUnicode_InternFromString(strings[i].text);
        if (*strings[i].slot == NULL)
            return -1;
    }
    return 0;
}

static PyObject *
pair(PyObject *self, PyObject *unused)
{
    size_t i, n = 0;
    if (s_a == NULL || s_b == NULL) {
        s_a = PyUnicode_InternFromString("a");
        s_b = PyUnicode_InternFromString("b");
        if (!s_a || !s_b)
            return NULL;
    }
    for (i = 0; i < 1; i++)
        n += *seen[i] != NULL;
    return Py_BuildValue("(OOn)", s_a, s_b, (Py_ssize_t)n);
}

static PyObject *
keys(PyObject *self, PyObject *unused)
{
    struct { const char *name; PyObject **slot; } table[] = {
        {.name = "one", .slot = &k_one},
        {.name = "two", .slot = &k_two},
    };
    size_t i;
    if (k_one == NULL || k_two == NULL) {
        for (i = 0; i < 2; i++) {
            *table[i].slot = PyUnicode_FromString(table[i].name);
            if (*table[i].slot == NULL)
                return NULL;
        }
    }
    return PyTuple_Pack(2, k_one, k_two);
}

static PyObject *
cmp(PyObject *self, PyObject *arg)
{
    if (intern_strings() < 0)
        return NULL;
    return Py_NewRef(PyObject_IsTrue(arg) ? s_lt : s_gt);
}

static int
mod_clear(PyObject *m)
{
    size_t i;
    for (i = 0; i < sizeof(all_strings) / sizeof(all_strings[0]); i++)
        Py_CLEAR(*all_strings[i]);
    return 0;
}

static PyMethodDef methods[] = {
    {"pair", pair, METH_NOARGS, NULL},
    {"keys", keys, METH_NOARGS, NULL},
    {"cmp", cmp, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "tables", NULL, 0, methods, NULL, NULL,
                                 mod_clear};

PyMODINIT_FUNC
PyInit_tables(void)
{
    return PyModuleDef_Init(&def);
}
