/* Tests: statics filled under a guard on the first of them
 * (`if (prefix == NULL) { prefix = …; suffix = …; }`): the sibling is a site
 * of the same kind, and both are fixed together. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, prefix);   /*~ OV101 prefix */
Py_ONCEVAR_DECLARE(PyObject *, suffix);   /*~ OV101 suffix */

static int
load_affixes(void)
{
    if (Py_ONCEVAR(prefix) != NULL) {
        return 0;
    }
    Py_ONCEVAR(prefix) = PyUnicode_FromString("[[");
    Py_ONCEVAR(suffix) = PyUnicode_FromString("]]");
    return (Py_ONCEVAR(prefix) == NULL || Py_ONCEVAR(suffix) == NULL) ? -1 : 0;
}

static PyObject *
bracket(PyObject *self, PyObject *arg)
{
    Py_ONCEVAR_DECLARE(PyObject *, label);   /*~ OV101 label */
    Py_ONCEVAR_DECLARE(PyObject *, note);    /*~ OV101 note */

    if (load_affixes() < 0) {
        return NULL;
    }
    if (Py_ONCEVAR(label) == NULL) {
        Py_ONCEVAR(label) = PyUnicode_FromString("label");
        Py_ONCEVAR(note) = PyUnicode_FromString("note");
        if (Py_ONCEVAR(label) == NULL || Py_ONCEVAR(note) == NULL) {
            return NULL;
        }
    }
    return PyUnicode_FromFormat("%U%U%U%U%S", Py_ONCEVAR(prefix), Py_ONCEVAR(label), Py_ONCEVAR(note), Py_ONCEVAR(suffix), arg);
}
