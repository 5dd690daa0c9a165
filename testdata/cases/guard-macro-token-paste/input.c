/* Tests: statics written through the file's own macro that pastes their
 * name (`#define INTERN(S) str_##S = …(#S)`): sites (OV101) under the
 * guard, but the fix is unsafe, since the macro body cannot be rewritten.
 * A static named like the macro's argument is not written by it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define INTERN(S) str_##S = PyUnicode_InternFromString(#S)

static PyObject *str_open = NULL;    /*~ OV101 str_open */
static PyObject *str_close = NULL;   /*~ OV101 str_close */
static PyObject *open = NULL;

static int
intern_strings(void)
{
    if (str_open == NULL || str_close == NULL) {
        INTERN(open);
        INTERN(close);
        if (str_open == NULL || str_close == NULL) {
            return -1;
        }
    }
    return 0;
}

static PyObject *
get_open(PyObject *self, PyObject *unused)
{
    return Py_XNewRef(open);
}
