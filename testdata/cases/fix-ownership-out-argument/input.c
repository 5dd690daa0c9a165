/* Tests: a static written through its address by a function that CPython's
 * reference data says stores a new reference there (refcounts.dat marks the
 * `PyObject **` parameter `+1`) keeps a strong reference: its fix is safe.
 * PyUnicode_InternInPlace(&s) directly and through a macro of the file,
 * PyIter_Send(iter, arg, &s). Control: a function known nowhere that takes
 * the address stays unsafe. */
#include <Python.h>

#define INTERN(s) PyUnicode_InternInPlace(&(s))

extern void project_fill(PyObject **slot);

static PyObject *interned = NULL;       /*~ OV101 interned */
static PyObject *via_macro = NULL;      /*~ OV101 via_macro */
static PyObject *referent = NULL;       /*~ OV101 referent */
static PyObject *filled = NULL;         /*~ OV101 filled */

static PyObject *
names(PyObject *self, PyObject *ref)
{
    if (interned == NULL) {
        interned = PyUnicode_FromString("interned");
        if (interned == NULL)
            return NULL;
        PyUnicode_InternInPlace(&interned);
    }
    if (via_macro == NULL) {
        via_macro = PyUnicode_FromString("via_macro");
        if (via_macro == NULL)
            return NULL;
        INTERN(via_macro);
    }
    if (referent == NULL && PyIter_Send(ref, Py_None, &referent) == PYGEN_ERROR)
        return NULL;
    if (filled == NULL) {
        project_fill(&filled);
        if (filled == NULL)
            return NULL;
    }
    return PyTuple_Pack(3, interned, via_macro, filled);
}

static PyMethodDef methods[] = {
    {"names", names, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "out_argument", NULL, 0, methods
};

PyMODINIT_FUNC
PyInit_out_argument(void)
{
    return PyModuleDef_Init(&def);
}
