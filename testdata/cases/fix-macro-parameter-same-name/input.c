/* Tests: function-like macros whose parameters are spelled like statics of
 * the file (`#define MY_CAST(func) …(func)`, several parameters, one used
 * twice, one in a compatibility branch): a parameter names the macro's
 * argument, never the static, so the statics' fixes stay safe. A macro
 * whose body names the static itself still makes its fix unsafe. */
#include <Python.h>

#if PY_VERSION_HEX < 0x030B0000
#define MY_CAST(func) ((PyCFunction)(void (*)(void))(func))
#endif
#define CALL_TWICE(func, args) (Py_XDECREF(PyObject_Call((func), (args), NULL)), \
                                PyObject_Call((func), (args), NULL))
#define DEFAULT_SEP() (sep)

static PyObject *func = NULL;   /*~ OV101 func */
static PyObject *args = NULL;   /*~ OV101 args */
static PyObject *sep = NULL;    /*~ OV101 sep */

static PyObject *
get_clock(void)
{
    if (func == NULL) {
        PyObject *mod = PyImport_ImportModule("time");
        if (mod == NULL)
            return NULL;
        func = PyObject_GetAttrString(mod, "monotonic");
        Py_DECREF(mod);
        if (func == NULL)
            return NULL;
    }
    return PyObject_CallNoArgs(func);
}

static PyObject *
call_twice(PyObject *self, PyObject *callable)
{
    if (args == NULL) {
        args = PyTuple_New(0);
        if (args == NULL)
            return NULL;
    }
    return CALL_TWICE(callable, args);
}

static PyObject *
join(PyObject *self, PyObject *items)
{
    if (sep == NULL) {
        sep = PyUnicode_FromString(",");
        if (sep == NULL)
            return NULL;
    }
    return PyUnicode_Join(DEFAULT_SEP(), items);
}
