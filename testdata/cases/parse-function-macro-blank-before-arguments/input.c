/* Tests: a macro that defines a function, used at file scope without a
 * `;` and with a blank between its name and its arguments (GNU style's
 * `DEF_GETTER (alpha)`), does not swallow the function that follows:
 * the blank kept the use from being read as one, and the lazy static of
 * the function after it was lost in a parse error (unsafe: "does not
 * parse"). */
#include <Python.h>

#define DEF_GETTER(f) static PyObject *get_##f(void) { return PyList_New(0); }

DEF_GETTER (alpha)

static PyObject *
get_clock(PyObject *self, PyObject *unused)
{
    static PyObject *func = NULL;       /*~ OV101 func */
    if (func == NULL) {
        func = PyList_New(0);
        if (func == NULL)
            return NULL;
    }
    (void)get_alpha;
    return Py_NewRef(func);
}
