/* Tests: a static whose TYPE is a typedef of an array of object pointers
 * is an array of them, as `static PyObject *cache[2]` is (OV101, the fix
 * of an array display-only): `typedef PyObject *two_t[2]`; an array type
 * of an object pointer typedef, in a header, through a second header
 * (pair.h of obj.h); an array of such arrays (`grid_t`, two dimensions,
 * and `static pair_t rows[4]`, a dimension of the declaration's own); a
 * plain typedef of one; an array type of structs with object members,
 * named or anonymous; an element written through the decayed name
 * (`*(ends + 1) = …`); a block-scope static of such a type. Controls: a
 * pointer to such an array (no cache of its own), and one set in its
 * initialiser (a constant). */
#include <Python.h>
#include "pair.h"

typedef PyObject *two_t[2];
typedef struct {
    const char *name;
    PyObject *obj;
} entry_t;
typedef entry_t entries_t[2];
typedef struct {
    PyObject *cls;
    int flags;
} kinds_t[3];

static two_t two;                              /*~ OV101 two */
static pair_t pair;                            /*~ OV101 pair */
static grid_t grid;                            /*~ OV101 grid */
static pair_t rows[4];                         /*~ OV101 rows */
static pair_alias_t aliased;                   /*~ OV101 aliased */
static entries_t entries;                      /*~ OV101 entries */
static kinds_t kinds;                          /*~ OV101 kinds */
static two_t ends;                             /*~ OV101 ends */
static two_t *indirect;
static two_t preset = {NULL, NULL};            /*~ OV101 preset */
static two_t constant = {Py_None, NULL};

static PyObject *
get_two(PyObject *self, PyObject *unused)
{
    if (two[0] == NULL) {
        two[0] = PyUnicode_InternFromString("a");
        if (two[0] == NULL)
            return NULL;
    }
    if (pair[1] == NULL)
        pair[1] = PyLong_FromLong(1);
    if (!grid[2][1])
        grid[2][1] = PyLong_FromLong(21);
    if (rows[3][0] == NULL)
        rows[3][0] = PyLong_FromLong(30);
    if (aliased[0] == NULL)
        aliased[0] = PyDict_New();
    if (entries[1].obj == NULL)
        entries[1].obj = PyUnicode_FromString("b");
    if (kinds[0].cls == NULL)
        kinds[0].cls = PyErr_NewException("arr.Kind", NULL, NULL);
    if (*(ends + 1) == NULL)
        *(ends + 1) = PyList_New(0);
    if (preset[0] == NULL)
        preset[0] = PyList_New(0);
    if (indirect != NULL && (*indirect)[0] == NULL)
        (*indirect)[0] = PyList_New(0);
    if (constant[1] == NULL)
        constant[1] = constant[0];
    return Py_NewRef(two[0]);
}

static PyObject *
get_local(PyObject *self, PyObject *unused)
{
    static two_t local;                        /*~ OV101 local */
    if (local[0] == NULL) {
        local[0] = PyTuple_New(0);
        if (local[0] == NULL)
            return NULL;
    }
    return Py_NewRef(local[0]);
}

static PyMethodDef methods[] = {
    {"two", get_two, METH_NOARGS, NULL},
    {"local", get_local, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "arraytypes", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_arraytypes(void)
{
    return PyModuleDef_Init(&def);
}
