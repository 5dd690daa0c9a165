/* Tests: any `Py...Object *` type counts as an object pointer, not only
 * PyObject * and PyTypeObject *: here a PyLongObject * and a
 * PyListObject *. -> OV101 x2 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyLongObject *, big_limit);    /*~ OV101 big_limit */
Py_ONCEVAR_DECLARE(PyListObject *, empty_list);   /*~ OV101 empty_list */

static PyObject *
limit(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(big_limit) == NULL) {
        Py_ONCEVAR(big_limit) = (PyLongObject *)PyLong_FromString("1" "000000000000000000000", NULL, 10);
        if (Py_ONCEVAR(big_limit) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef((PyObject *)Py_ONCEVAR(big_limit));
}

static PyObject *
template_list(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(empty_list) == NULL) {
        Py_ONCEVAR(empty_list) = (PyListObject *)PyList_New(0);
        if (Py_ONCEVAR(empty_list) == NULL) {
            return NULL;
        }
    }
    return PyList_GetSlice((PyObject *)Py_ONCEVAR(empty_list), 0, 0);
}
