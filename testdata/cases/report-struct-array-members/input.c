/* Tests: a static struct holding an array of object pointers, filled
 * lazily through its elements (`consts.items[0] = PyLong_FromLong(10);`),
 * caches new references for the whole process, never released and shared
 * by every interpreter, as a static array of object pointers or a struct
 * of object members does: reported (report only), whether the struct is
 * anonymous with that one member, a typedef declared apart, or has other
 * members too. Before: not reported at all (the prefilter did not take
 * `x.m[i] =` for a write of `x`, and a member declared as an array was
 * no object member). Contrast: a struct holding an array of `const char
 * *` is no cache of objects. */
#include <Python.h>

static struct { PyObject *items[2]; } consts;   /*~ OV101 consts */

typedef struct { PyObject *slots[3]; } Cache;
static Cache cache;                             /*~ OV101 cache */

static struct {
    PyObject *rows[2][2];
    int n;
} grid;                                         /*~ OV101 grid */

static struct { const char *names[2]; } labels;

static PyObject *
get_const(PyObject *self, PyObject *arg)
{
    if (consts.items[0] == NULL) {
        consts.items[0] = PyLong_FromLong(10);
        consts.items[1] = PyLong_FromLong(20);
    }
    return Py_XNewRef(consts.items[PyObject_IsTrue(arg) ? 1 : 0]);
}

static PyObject *
get_cached(PyObject *self, PyObject *arg)
{
    if (cache.slots[0] == NULL) {
        for (int k = 0; k < 3; k++)
            cache.slots[k] = PyLong_FromLong(k);
    }
    return Py_XNewRef(cache.slots[2]);
}

static PyObject *
get_cell(PyObject *self, PyObject *arg)
{
    if (grid.rows[0][0] == NULL) {
        grid.rows[0][0] = PyList_New(0);
        grid.n = 1;
    }
    return Py_XNewRef(grid.rows[0][0]);
}

static PyObject *
get_label(PyObject *self, PyObject *arg)
{
    if (labels.names[0] == NULL) {
        labels.names[0] = "first";
    }
    return PyUnicode_FromString(labels.names[0]);
}
