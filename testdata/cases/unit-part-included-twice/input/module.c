/* Tests: a template part included twice by one file under different
 * macro definitions (`#define NAME a` / `#include "part.h"` / `#undef
 * NAME` / `#define NAME b` / `#include "part.h"`). The block-scope
 * static is declared anew in each function the part defines (get_a,
 * get_b): its fix, one rewrite of the part, is right for both. The
 * file-scope static is declared by each inclusion: the runtime's
 * declaration cannot be read twice, so its fix is unsafe, naming both
 * #include lines. Before: both safe, and the fixed module.c did not
 * compile (redefinition of `_Py_oncevar_k_shared`). */
#include <Python.h>

#define a_text "a"
#define b_text "b"

#define NAME a
#include "part.h"
#undef NAME
#define NAME b
#include "part.h"
#undef NAME

static PyObject *
both(PyObject *self, PyObject *unused)
{
    return PyTuple_Pack(2, get_a(), get_b());
}

static PyMethodDef methods[] = {
    {"both", both, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};
