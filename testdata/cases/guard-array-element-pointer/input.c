/* Tests: an element of a static array of object pointers reached
 * through a local pointer to it is that array's cache, as `PyObject
 * **slot = &v;` is a single static's: `PyObject **slot = &consts[i];`
 * then `if (*slot == NULL) *slot = ...;` fills `consts` lazily (OV101,
 * the display-only fix of an array). The address spelled `&table[i]`,
 * `table + i` (C11 6.5.6p8), `table` alone (its first element), an
 * element of a 2-D array (`&grid[i][j]`, and a row plus an offset), an
 * obj_t typedef, an early return (`if (*s) return *s;`), and a release
 * through the pointer (`Py_CLEAR(*slot)`, OV102). Controls: a pointer to
 * an element of a local array, and a static array only read through
 * such a pointer. */
#include <Python.h>

typedef PyObject *obj_t;

static PyObject *consts[4];                 /*~ OV101 consts */
static PyObject *offsets[4];                /*~ OV101 offsets */
static PyObject *firsts[2];                 /*~ OV101 firsts */
static PyObject *grid[2][3];                /*~ OV101 grid */
static PyObject *rows[2][3];                /*~ OV101 rows */
static obj_t typed[2];                      /*~ OV101 typed */
static PyObject *early[2];                  /*~ OV101 early */
static PyObject *released[2];               /*~ OV102 released */
static PyObject *readonly[2];

static PyObject *
get_const(PyObject *self, PyObject *arg)
{
    long i = PyLong_AsLong(arg) & 3;
    PyObject **slot = &consts[i];
    if (*slot == NULL) {
        *slot = PyLong_FromLong(i);
        if (*slot == NULL)
            return NULL;
    }
    return Py_NewRef(*slot);
}

static PyObject *
get_offset(PyObject *self, PyObject *arg)
{
    long i = PyLong_AsLong(arg) & 3;
    PyObject **slot = offsets + i;
    if (!*slot)
        *slot = PyLong_FromLong(-i);
    return Py_XNewRef(*slot);
}

static PyObject *
get_first(PyObject *self, PyObject *unused)
{
    PyObject **slot;
    slot = firsts;
    if (*slot == NULL)
        *slot = PyUnicode_FromString("first");
    return Py_XNewRef(*slot);
}

static PyObject *
get_cell(PyObject *self, PyObject *arg)
{
    long i = PyObject_IsTrue(arg);
    PyObject **cell = &grid[i][2];
    PyObject **row = rows[i] + 1;
    if (*cell == NULL)
        *cell = PyLong_FromLong(2);
    if (*row == NULL)
        *row = PyLong_FromLong(1);
    return PyTuple_Pack(2, *cell, *row);
}

static PyObject *
get_typed(PyObject *self, PyObject *arg)
{
    obj_t *slot = &typed[PyObject_IsTrue(arg)];
    if (*slot == NULL)
        *slot = PyUnicode_InternFromString("typed");
    return Py_XNewRef(*slot);
}

static PyObject *
get_early(PyObject *self, PyObject *arg)
{
    PyObject **slot = &early[PyObject_IsTrue(arg)];
    if (*slot != NULL)
        return Py_NewRef(*slot);
    *slot = PyLong_FromLong(7);
    return Py_XNewRef(*slot);
}

static PyObject *
get_released(PyObject *self, PyObject *arg)
{
    PyObject **slot = &released[PyObject_IsTrue(arg)];
    if (*slot == NULL)
        *slot = PyLong_FromLong(9);
    return Py_XNewRef(*slot);
}

static void
module_free(void *module)
{
    for (int k = 0; k < 2; k++) {
        PyObject **slot = &released[k];
        Py_CLEAR(*slot);
    }
}

/* Controls. */
static PyObject *
local_table(PyObject *self, PyObject *arg)
{
    PyObject *table[2] = {NULL, NULL};
    PyObject **slot = &table[1];
    if (*slot == NULL)
        *slot = Py_NewRef(arg);
    return *slot;
}

static PyObject *
get_readonly(PyObject *self, PyObject *unused)
{
    PyObject **slot = &readonly[1];
    if (*slot == NULL)
        Py_RETURN_NONE;
    return Py_NewRef(*slot);
}

static PyMethodDef methods[] = {
    {"get_const", get_const, METH_O, NULL},
    {"get_offset", get_offset, METH_O, NULL},
    {"get_first", get_first, METH_NOARGS, NULL},
    {"get_cell", get_cell, METH_O, NULL},
    {"get_typed", get_typed, METH_O, NULL},
    {"get_early", get_early, METH_O, NULL},
    {"get_released", get_released, METH_O, NULL},
    {"local_table", local_table, METH_O, NULL},
    {"get_readonly", get_readonly, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "slots", NULL, 0, methods, NULL, NULL, NULL, module_free};
PyMODINIT_FUNC PyInit_slots(void) { return PyModuleDef_Init(&def); }
