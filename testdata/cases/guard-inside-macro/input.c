/* Tests: a file macro that tests its argument for NULL and assigns it is
 * the lazy guard itself (`(n) ? (n) : ((n) = …)`, `if (!(v)) (v) = …`,
 * `(p) == NULL`): each static passed there is a site, and its fix is
 * unsafe, because the rewrite would have to go through the macro's body. */
#include <Python.h>

static PyObject *
make_name(const char *text)
{
    return PyUnicode_InternFromString(text);
}

#define NAME_OF(n) ((n) ? (n) : ((n) = make_name(#n)))
#define ONCE(v, init) do { if ((v) == NULL) (v) = (init); } while (0)
#define ENSURE_STR(var, lit)                                   \
    if (!(var)) {                                              \
        (var) = PyUnicode_FromString(lit);                     \
        if (!(var)) return NULL;                               \
    }
#define STORE(dst, value) (dst) = (value)

static PyObject *width, *height;   /*~ OV101 width */ /*~ OV101 height */
static PyObject *unit_dict = NULL;   /*~ OV101 unit_dict */

static PyObject *
size_names(PyObject *self, PyObject *unused)
{
    static PyObject *label;   /*~ OV101 label */

    if (NAME_OF(width) == NULL || NAME_OF(height) == NULL)
        return NULL;
    ONCE(unit_dict, PyDict_New());
    ENSURE_STR(label, "size")
    return PyTuple_Pack(3, width, height, label);
}

static PyObject *
replaced(PyObject *self, PyObject *value)
{
    static PyObject *last = NULL;   /* a setter's state, not a site */
    Py_XDECREF(last);
    STORE(last, Py_NewRef(value));
    return Py_NewRef(last);
}
