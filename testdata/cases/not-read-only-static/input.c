/* Tests (look-alike, no finding): `static PyObject *v = NULL;` that is only
 * read (compared and passed along), never assigned anywhere.  A NULL guard
 * alone is not evidence of lazy initialisation. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *override_hook = NULL;
static PyTypeObject *override_type;

static PyObject *
dispatch(PyObject *self, PyObject *arg)
{
    if (override_hook == NULL) {
        return PyObject_Repr(arg);
    }
    if (override_type != NULL && !PyObject_TypeCheck(arg, override_type)) {
        Py_RETURN_NONE;
    }
    return PyObject_CallOneArg(override_hook, arg);
}
