/* Tests: statics filled under a guard on the first, through the first's
 * address (`load(&first)`) and through the file's assigning macro: the
 * siblings are sites of the same kind. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

#define SET_STRING(target, text) target = PyUnicode_FromString(text)

static int
load(PyObject **slot, const char *text)
{
    *slot = PyUnicode_FromString(text);
    return *slot == NULL ? -1 : 0;
}

Py_ONCEVAR_DECLARE(PyObject *, first_word);    /*~ OV101 first_word */
Py_ONCEVAR_DECLARE(PyObject *, second_word);   /*~ OV101 second_word */
Py_ONCEVAR_DECLARE(PyObject *, third_word);    /*~ OV101 third_word */

static PyObject *
words(PyObject *self, PyObject *unused)
{
    if (!Py_ONCEVAR(first_word)) {
        if (load(&Py_ONCEVAR(first_word), "alpha") < 0) {
            return NULL;
        }
        SET_STRING(Py_ONCEVAR(second_word), "beta");
        Py_ONCEVAR(third_word) = PyUnicode_FromString("gamma");
    }
    if (Py_ONCEVAR(second_word) == NULL || Py_ONCEVAR(third_word) == NULL) {
        return NULL;
    }
    return PyTuple_Pack(3, Py_ONCEVAR(first_word), Py_ONCEVAR(second_word), Py_ONCEVAR(third_word));
}
