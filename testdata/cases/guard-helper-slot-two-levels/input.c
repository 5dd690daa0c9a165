/* Tests: the NULL guard may sit in a helper that another helper hands the
 * slot on to (`lookup(&v)` calls `fill(slot, ...)`, which tests `*slot`):
 * the static is a lazy cache (OV101). The fix is safe when every store
 * through the slot, at each level, is a strong reference; a helper that
 * stores a borrowed one makes it unsafe. A slot written without a test at
 * the end of the chain is replaced on every call: no site. */
#include <Python.h>

static int
fill(PyObject **slot, const char *module, const char *attribute)
{
    PyObject *mod;

    if (*slot != NULL)
        return 0;
    mod = PyImport_ImportModule(module);
    if (mod == NULL)
        return -1;
    *slot = PyObject_GetAttrString(mod, attribute);
    Py_DECREF(mod);
    return *slot == NULL ? -1 : 0;
}

static PyObject *
lookup(PyObject **slot, const char *module, const char *attribute)
{
    if (fill(slot, module, attribute) < 0)
        return NULL;
    return *slot;
}

static int
fill_pair(PyObject **first, PyObject **second)
{
    return lookup(first, "string", "Template") == NULL
        ? -1 : fill(second, "string", "Formatter");
}

static void
borrow_builtin(PyObject **slot, const char *name)
{
    if (!*slot)
        *slot = PyDict_GetItemString(PyEval_GetBuiltins(), name);
}

static void
pick_builtin(PyObject **slot, const char *name)
{
    borrow_builtin(slot, name);
}

static void
overwrite(PyObject **slot)
{
    Py_XSETREF(*slot, PyList_New(0));
}

static void
reset(PyObject **slot)
{
    overwrite(slot);
}

static PyObject *template_class;    /*~ OV101 template_class */
static PyObject *formatter_class;   /*~ OV101 formatter_class */

static PyObject *
quote(PyObject *self, PyObject *arg)
{
    static PyObject *quoter = NULL;     /*~ OV101 quoter */
    static PyObject *len_function;      /*~ OV101 len_function */
    static PyObject *scratch;
    PyObject *q = lookup(&quoter, "shlex", "quote");

    if (q == NULL || fill_pair(&template_class, &formatter_class) < 0)
        return NULL;
    pick_builtin(&len_function, "len");
    reset(&scratch);
    return PyObject_CallOneArg(q, arg);
}
