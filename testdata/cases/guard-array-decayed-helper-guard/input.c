/* Tests: an array of object pointers handed decayed to a helper of the
 * unit (`intern_all(names, src, 2)`, through a helper it hands the
 * pointer on to, a macro that passes it on, an array type's) that fills
 * elements by index, each under a NULL
 * test of the element in the helper (`if (slots[i] == NULL)`, `!out[i]`,
 * `*(out + i) == NULL`, an early return when set): filled lazily (OV101,
 * the fix of an array display-only), though no guard stands at the call.
 * Controls: a helper that fills without a test (every call replaces the
 * elements: state), one whose test is of another array, one with a write
 * outside its test, and one that only reads. */
#include <Python.h>

typedef PyObject *pair_t[2];

static const char *const src[2] = {"a", "b"};
static PyObject *seen[2];

static PyObject *names[2];                       /*~ OV101 names */
static PyObject *relayed[2];                     /*~ OV101 relayed */
static PyObject *macroed[2];                     /*~ OV101 macroed */
static PyObject *banged[2];                      /*~ OV101 banged */
static PyObject *stepped[2];                     /*~ OV101 stepped */
static pair_t typed;                             /*~ OV101 typed */
static PyObject *single[2];                      /*~ OV101 single */
static PyObject *always[2];
static PyObject *other[2];
static PyObject *partly[2];
static PyObject *counted[2];

static int
intern_all(PyObject **slots, const char *const *names_, int n)
{
    for (int i = 0; i < n; i++) {
        if (slots[i] == NULL) {
            slots[i] = PyUnicode_InternFromString(names_[i]);
            if (slots[i] == NULL)
                return -1;
        }
    }
    return 0;
}

static int
relay(PyObject **out)
{
    return intern_all(out, src, 2);
}

#define FILL_ALL(t) intern_all((t), src, 2)

static int
intern_bang(PyObject **out, int n)
{
    for (int i = 0; i < n; i++) {
        if (!out[i])
            out[i] = PyLong_FromLong(i);
    }
    return 0;
}

static int
intern_stepped(PyObject **out, int n)
{
    for (int i = 0; i < n; i++) {
        if (*(out + i) == NULL)
            *(out + i) = PyLong_FromLong(i);
    }
    return 0;
}

static int
fill_one(PyObject **out, int k)
{
    if (out[k] != NULL)
        return 0;
    out[k] = PyLong_FromLong(k);
    return out[k] == NULL ? -1 : 0;
}

/* Controls. */
static int
fill_always(PyObject **out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = PyLong_FromLong(i);
    return 0;
}

static int
fill_other(PyObject **out, int n)
{
    for (int i = 0; i < n; i++) {
        if (seen[i] == NULL)
            out[i] = PyLong_FromLong(i);
    }
    return 0;
}

static int
fill_partly(PyObject **out)
{
    if (out[0] == NULL)
        out[0] = PyLong_FromLong(0);
    out[1] = PyLong_FromLong(1);
    return 0;
}

static int
count_set(PyObject **out, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += out[i] != NULL;
    return k;
}

static PyObject *
get_all(PyObject *self, PyObject *unused)
{
    if (intern_all(names, src, 2) < 0
        || relay(relayed) < 0
        || FILL_ALL(macroed) < 0
        || intern_bang(banged, 2) < 0
        || intern_stepped(stepped, 2) < 0
        || intern_all(typed, src, 2) < 0
        || fill_one(single, 1) < 0)
        return NULL;
    fill_always(always, 2);
    fill_other(other, 2);
    fill_partly(partly);
    return PyLong_FromLong(count_set(counted, 2));
}

static PyMethodDef methods[] = {
    {"all", get_all, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "decayedfill", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_decayedfill(void)
{
    return PyModuleDef_Init(&def);
}
