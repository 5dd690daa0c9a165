/* Tests (look-alike, no finding): statics whose only assignment is their
 * initialiser.  The NULL checks below are ordinary defensive checks; the
 * variables are never lazily filled in. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyTypeObject *base_type = &PyBaseObject_Type;
static const char *default_name = "anonymous";
static PyObject *no_value = NULL;

static PyObject *
describe(PyObject *self, PyObject *obj)
{
    if (base_type == NULL) {
        Py_RETURN_NONE;
    }
    if (!PyObject_TypeCheck(obj, base_type)) {
        Py_RETURN_FALSE;
    }
    if (default_name == NULL) {
        return PyUnicode_FromString("?");
    }
    if (no_value != NULL) {
        return Py_NewRef(no_value);
    }
    return PyUnicode_FromString(default_name);
}
