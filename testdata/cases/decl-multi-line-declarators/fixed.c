/* Tests: one declaration whose declarators are spread over several lines.
 * Each marker sits on the line where that variable's name appears.
 *   str_true / str_false  lazily interned, never released -> OV101
 *   str_maybe             declared alongside but never assigned -> not a site
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, str_true);
Py_ONCEVAR_DECLARE(PyObject *, str_false);
static PyObject *str_maybe = NULL;   /*~ OV101 str_false */

static PyObject *
bool_word(PyObject *self, PyObject *arg)
{
    int truth = PyObject_IsTrue(arg);
    if (truth < 0) {
        return NULL;
    }
    if (truth) {
        if (Py_ONCEVAR(str_true) == NULL) {
            Py_ONCEVAR(str_true) = PyUnicode_InternFromString("yes");
        }
        return Py_XNewRef(Py_ONCEVAR(str_true));
    }
    if (Py_ONCEVAR(str_false) == NULL) {
        Py_ONCEVAR(str_false) = PyUnicode_InternFromString("no");
    }
    if (str_maybe != NULL) {
        return Py_NewRef(str_maybe);
    }
    return Py_XNewRef(Py_ONCEVAR(str_false));
}
