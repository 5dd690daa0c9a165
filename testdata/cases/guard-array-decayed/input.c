/* Tests: an array named on its own decays to a pointer to its first
 * element (C11 6.3.2.1p3), and a struct's address points to its members:
 * a helper of the unit that writes through that parameter, or a local
 * pointer copied from it and written through, fills the elements. Under a
 * NULL test of an element they are filled lazily (OV101, the display-only
 * fix of an array or a struct). Controls: a helper that only reads, one
 * that writes a member holding no object, and a copy only read are no
 * fill; a `char *` table with string literals is no candidate. */
#include <Python.h>

typedef struct {
    const char *name;
    PyObject *obj;
} Entry;

static Entry words[] = {                        /*~ OV101 words */
    {"alpha", NULL},
    {"beta", NULL},
    {NULL, NULL},
};

static Entry marks[] = {                        /*~ OV101 marks */
    {"(", NULL},
    {")", NULL},
    {NULL, NULL},
};

static Entry labels[] = {
    {"x", NULL},
    {NULL, NULL},
};

static PyObject *small[3];                      /*~ OV101 small */
static PyObject *relayed[2];                    /*~ OV101 relayed */
static PyObject *counted[2];

static struct {
    PyObject *error;
    int hits;
} state;                                        /*~ OV101 state */

static char *kwlist[] = {"value", NULL};

static int
fill_longs(PyObject **out, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        out[i] = PyLong_FromLong(i);
        if (out[i] == NULL)
            return -1;
    }
    return 0;
}

/* Hands the table on to the helper that writes it. */
static int
relay(PyObject **table)
{
    return fill_longs(table, 2);
}

static int
count_set(PyObject *const *table, int n)
{
    int i, k = 0;
    for (i = 0; i < n; i++)
        k += table[i] != NULL;
    return k;
}

static void
rename_all(Entry *e)
{
    for (; e->name != NULL; e++)
        e->name = "?";
}

static int
make_error(typeof(state) *s)
{
    s->error = PyErr_NewException("decayed.Error", NULL, NULL);
    return s->error == NULL ? -1 : 0;
}

static PyObject *
get_words(PyObject *self, PyObject *unused)
{
    Entry *e;
    if (words[0].obj == NULL) {
        for (e = words; e->name != NULL; e++) {
            e->obj = PyUnicode_InternFromString(e->name);
            if (e->obj == NULL)
                return NULL;
        }
    }
    return PyTuple_Pack(2, words[0].obj, words[1].obj);
}

static PyObject *
get_marks(PyObject *self, PyObject *unused)
{
    if (marks[0].obj == NULL) {
        Entry *m = &marks[0];
        while (m->name) {
            (m++)->obj = PyUnicode_FromString(marks[0].name);
        }
    }
    return Py_NewRef(marks[0].obj);
}

static PyObject *
get_labels(PyObject *self, PyObject *unused)
{
    const Entry *l = labels;
    if (labels[0].obj == NULL) {
        rename_all(labels);
        return PyUnicode_FromString(l->name);
    }
    return Py_NewRef(labels[0].obj);
}

static PyObject *
get_small(PyObject *self, PyObject *arg)
{
    long k = PyLong_AsLong(arg);
    if (small[0] == NULL && fill_longs(small, 3) < 0)
        return NULL;
    if (relayed[1] == NULL && relay(relayed) < 0)
        return NULL;
    if (counted[0] == NULL && count_set(counted, 2) == 0)
        return PyLong_FromLong(0);
    return Py_NewRef(small[k & 1]);
}

static PyObject *
get_error(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *value = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O", kwlist, &value))
        return NULL;
    if (state.error == NULL && make_error(&state) < 0)
        return NULL;
    state.hits++;
    return Py_NewRef(state.error);
}

static PyMethodDef methods[] = {
    {"words", get_words, METH_NOARGS, NULL},
    {"marks", get_marks, METH_NOARGS, NULL},
    {"labels", get_labels, METH_NOARGS, NULL},
    {"small", get_small, METH_O, NULL},
    {"error", (PyCFunction)(void (*)(void))get_error, METH_VARARGS | METH_KEYWORDS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "decayed", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_decayed(void)
{
    return PyModuleDef_Init(&def);
}
