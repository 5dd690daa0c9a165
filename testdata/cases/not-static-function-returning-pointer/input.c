/* Tests (look-alike, no finding): `static PyObject *foo(void);` is a
 * function prototype and `static PyObject *\nfoo(void) {...}` a definition,
 * not pointer variables.  A local function pointer with a NULL guard sits
 * next to them and is not a site either (not static). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *make_default(void);
static PyObject *make_other(void), *make_third(void);

static PyObject *
make_default(void)
{
    return PyDict_New();
}

static PyObject *make_other(void) { return PyList_New(0); }
static PyObject *make_third(void) { return PyTuple_New(0); }

static PyObject *
build(PyObject *self, PyObject *unused)
{
    PyObject *(*factory)(void) = NULL;
    if (factory == NULL) {
        factory = make_default;
    }
    if (PyErr_Occurred()) {
        factory = make_other;
    }
    return factory();
}
