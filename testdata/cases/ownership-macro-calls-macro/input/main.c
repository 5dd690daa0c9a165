/* Tests: a macro whose expansion calls another macro of the unit says what
 * a store owns through both (oncevar panicked here, "RefCell already
 * borrowed", and the whole run was lost): a function-like macro calling a
 * function-like one in this file, an object-like one calling a
 * function-like one, and a chain of three over the project's header. */
#include <Python.h>
#include "text.h"

#define NAME_N(s, n) PyUnicode_FromStringAndSize((s), (n))
#define NAME(s) NAME_N(s, 1)
#define EMPTY NAME_N("", 0)

static PyObject *x_name = NULL;   /*~ OV101 x_name */
static PyObject *empty = NULL;    /*~ OV101 empty */
static PyObject *append = NULL;   /*~ OV101 append */

static PyObject *
names(PyObject *self, PyObject *unused)
{
    if (x_name == NULL) {
        x_name = NAME("x");
        if (x_name == NULL)
            return NULL;
    }
    if (empty == NULL && (empty = EMPTY) == NULL)
        return NULL;
    if (append == NULL) {
        append = Text_FromUTF8("append");
        if (append == NULL)
            return NULL;
    }
    return PyTuple_Pack(3, x_name, empty, append);
}
