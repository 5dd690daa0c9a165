/* Tests: statics filled under a guard on the first, through the first's
 * address (`load(&first)`) and through the file's assigning macro: the
 * siblings are sites of the same kind. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define SET_STRING(target, text) target = PyUnicode_FromString(text)

static int
load(PyObject **slot, const char *text)
{
    *slot = PyUnicode_FromString(text);
    return *slot == NULL ? -1 : 0;
}

static PyObject *first_word = NULL;    /*~ OV101 first_word */
static PyObject *second_word = NULL;   /*~ OV101 second_word */
static PyObject *third_word = NULL;    /*~ OV101 third_word */

static PyObject *
words(PyObject *self, PyObject *unused)
{
    if (!first_word) {
        if (load(&first_word, "alpha") < 0) {
            return NULL;
        }
        SET_STRING(second_word, "beta");
        third_word = PyUnicode_FromString("gamma");
    }
    if (second_word == NULL || third_word == NULL) {
        return NULL;
    }
    return PyTuple_Pack(3, first_word, second_word, third_word);
}
