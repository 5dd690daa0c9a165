/* Tests: static arrays of object pointers spelled other ways than
 * `static PyObject *table[N]` are the same lazy caches (OV101, or OV102
 * when released; the fix of an array is display-only): the element type
 * an object pointer typedef (`static obj_t names[2]`, as `static obj_t
 * name` is a single one), or a typedef of a pointer to an object struct;
 * two dimensions (`tbl[i][j]`, and `*grid[i]` which is `grid[i][0]`);
 * parentheses around the array (`*(pending[4])`); a size from a macro;
 * rows of NULL in a 2-D array's initialiser (`{{NULL, NULL}, {0}}`).
 * Controls: an array of a typedef of `char *` (a table), a ring buffer of
 * obj_t written on every call (state), a 2-D array with values in its
 * initialiser (a constant), and a 2-D array of `char *`. */
#include <Python.h>

typedef PyObject *obj_t;
typedef char *str_t;

typedef struct {
    PyObject_HEAD
    long value;
} ItemObject;
typedef ItemObject *ItemRef;

#define N_KINDS 3

static obj_t names[2];                      /*~ OV101 names */
static obj_t released_names[2] = {NULL};    /*~ OV102 released_names */
static ItemRef items[N_KINDS];              /*~ OV101 items */
static PyObject *pair_cache[2][2];          /*~ OV101 pair_cache */
static obj_t grid[N_KINDS][N_KINDS];        /*~ OV101 grid */
static PyObject *(pending[4]);              /*~ OV101 pending */
static PyObject *zeroed[2][2] = {{NULL, NULL}, {0}};  /*~ OV101 zeroed */
static str_t labels[3];
static obj_t ring[4];
static PyObject *constants[1][1] = {{Py_None}};
static char *words[2][2];

static ItemObject *
new_item(long value)
{
    (void)value;
    PyErr_SetString(PyExc_NotImplementedError, "no items");
    return NULL;
}

static PyObject *
get_names(PyObject *self, PyObject *unused)
{
    if (names[0] == NULL) {
        names[0] = PyUnicode_InternFromString("a");
        names[1] = PyUnicode_InternFromString("b");
        if (names[0] == NULL || names[1] == NULL)
            return NULL;
    }
    return PyTuple_Pack(2, names[0], names[1]);
}

static PyObject *
get_released(PyObject *self, PyObject *arg)
{
    long i = PyObject_IsTrue(arg) ? 1 : 0;
    if (!released_names[i])
        released_names[i] = PyUnicode_FromFormat("name%ld", i);
    return Py_XNewRef(released_names[i]);
}

static PyObject *
get_item(PyObject *self, PyObject *arg)
{
    long k = PyLong_AsLong(arg) % N_KINDS;
    if (items[k] == NULL) {
        items[k] = new_item(k);
        if (items[k] == NULL)
            return NULL;
    }
    return Py_NewRef((PyObject *)items[k]);
}

static PyObject *
get_pair(PyObject *self, PyObject *arg)
{
    long i = PyObject_IsTrue(arg);
    if (pair_cache[i][0] == NULL) {
        pair_cache[i][0] = PyLong_FromLong(i);
        pair_cache[i][1] = PyLong_FromLong(-i);
        if (pair_cache[i][0] == NULL || pair_cache[i][1] == NULL)
            return NULL;
    }
    return PyTuple_Pack(2, pair_cache[i][0], pair_cache[i][1]);
}

static PyObject *
get_grid(PyObject *self, PyObject *arg)
{
    long i = PyLong_AsLong(arg) % N_KINDS;
    if (!*grid[i]) {
        *grid[i] = PyLong_FromLong(i * N_KINDS);
        if (!*grid[i])
            return NULL;
    }
    return Py_NewRef(grid[i][0]);
}

static PyObject *
get_pending(PyObject *self, PyObject *unused)
{
    if (pending[3] == NULL)
        pending[3] = PyList_New(0);
    if (zeroed[1][1] == NULL)
        zeroed[1][1] = PyDict_New();
    return Py_XNewRef(pending[3]);
}

/* Controls. */
static PyObject *
get_label(PyObject *self, PyObject *unused)
{
    if (labels[0] == NULL)
        labels[0] = "x";
    if (words[1][1] == NULL)
        words[1][1] = "y";
    return PyUnicode_FromString(labels[0]);
}

static PyObject *
remember(PyObject *self, PyObject *obj)
{
    static unsigned pos;
    Py_XSETREF(ring[pos % 4], Py_NewRef(obj));
    pos++;
    return Py_NewRef(constants[0][0]);
}

static void
module_free(void *module)
{
    Py_CLEAR(released_names[0]);
    Py_CLEAR(released_names[1]);
}

static PyMethodDef methods[] = {
    {"get_names", get_names, METH_NOARGS, NULL},
    {"get_released", get_released, METH_O, NULL},
    {"get_item", get_item, METH_O, NULL},
    {"get_pair", get_pair, METH_O, NULL},
    {"get_grid", get_grid, METH_O, NULL},
    {"get_pending", get_pending, METH_NOARGS, NULL},
    {"get_label", get_label, METH_NOARGS, NULL},
    {"remember", remember, METH_O, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "arrays2", NULL, 0, methods, NULL, NULL, NULL, module_free};
PyMODINIT_FUNC PyInit_arrays2(void) { return PyModuleDef_Init(&def); }
