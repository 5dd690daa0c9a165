/* Tests: any `Py...Object *` type counts as an object pointer, not only
 * PyObject * and PyTypeObject *: here a PyLongObject * and a
 * PyListObject *. -> OV101 x2 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyLongObject *big_limit = NULL;    /*~ OV101 big_limit */
static PyListObject *empty_list = NULL;   /*~ OV101 empty_list */

static PyObject *
limit(PyObject *self, PyObject *unused)
{
    if (big_limit == NULL) {
        big_limit = (PyLongObject *)PyLong_FromString("1" "000000000000000000000", NULL, 10);
        if (big_limit == NULL) {
            return NULL;
        }
    }
    return Py_NewRef((PyObject *)big_limit);
}

static PyObject *
template_list(PyObject *self, PyObject *unused)
{
    if (empty_list == NULL) {
        empty_list = (PyListObject *)PyList_New(0);
        if (empty_list == NULL) {
            return NULL;
        }
    }
    return PyList_GetSlice((PyObject *)empty_list, 0, 0);
}
