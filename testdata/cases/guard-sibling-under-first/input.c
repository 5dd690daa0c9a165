/* Tests: statics filled under a guard on the first of them
 * (`if (prefix == NULL) { prefix = …; suffix = …; }`): the sibling is a site
 * of the same kind, and both are fixed together. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *prefix = NULL;   /*~ OV101 prefix */
static PyObject *suffix = NULL;   /*~ OV101 suffix */

static int
load_affixes(void)
{
    if (prefix != NULL) {
        return 0;
    }
    prefix = PyUnicode_FromString("[[");
    suffix = PyUnicode_FromString("]]");
    return (prefix == NULL || suffix == NULL) ? -1 : 0;
}

static PyObject *
bracket(PyObject *self, PyObject *arg)
{
    static PyObject *label = NULL;   /*~ OV101 label */
    static PyObject *note = NULL;    /*~ OV101 note */

    if (load_affixes() < 0) {
        return NULL;
    }
    if (label == NULL) {
        label = PyUnicode_FromString("label");
        note = PyUnicode_FromString("note");
        if (label == NULL || note == NULL) {
            return NULL;
        }
    }
    return PyUnicode_FromFormat("%U%U%U%U%S", prefix, label, note, suffix, arg);
}
