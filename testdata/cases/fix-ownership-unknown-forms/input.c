/* Tests: values whose ownership cannot be proven make the fix unsafe, and
 * the reason names the expression: a function defined neither in the unit
 * nor in CPython's reference data, a call through a pointer, a parameter,
 * a helper that returns new and borrowed references, a helper that calls
 * itself, a macro defined in two #if branches that disagree (a new and a
 * borrowed reference), a cast of an unknown value, a local whose
 * reference also goes elsewhere, and an expression of another kind. */
#include <Python.h>

extern PyObject *make_widget(void);
typedef PyObject *(*factory_fn)(void);

#ifdef FAST_PATH
#define DEFAULT_NAME() PyUnicode_FromString("fast")
#else
#define DEFAULT_NAME() (Py_None)
#endif

static PyObject *widget = NULL;    /*~ OV101 widget */
static PyObject *made = NULL;      /*~ OV101 made */
static PyObject *given = NULL;     /*~ OV101 given */
static PyObject *mixed = NULL;     /*~ OV101 mixed */
static PyObject *looped = NULL;    /*~ OV101 looped */
static PyObject *defaulted = NULL; /*~ OV101 defaulted */
static PyObject *cast = NULL;      /*~ OV101 cast */
static PyObject *shared = NULL;    /*~ OV101 shared */
static PyObject *twice = NULL;     /*~ OV101 twice */
static PyObject *released = NULL;  /*~ OV101 released */
static PyObject *offset = NULL;    /*~ OV101 offset */

static PyObject *
new_or_borrowed(PyObject *d)
{
    if (d != NULL) {
        return PyDict_GetItemString(d, "x");
    }
    return PyUnicode_FromString("x");
}

static PyObject *
forever(int n)
{
    if (n > 0) {
        return forever(n - 1);
    }
    return PyUnicode_FromString("x");
}

static PyObject *
get(PyObject *self, PyObject *arg, factory_fn factory)
{
    if (widget == NULL) {
        widget = make_widget();
    }
    if (made == NULL) {
        made = factory();
    }
    if (given == NULL) {
        given = arg;
    }
    if (mixed == NULL) {
        mixed = new_or_borrowed(arg);
    }
    if (looped == NULL) {
        looped = forever(3);
    }
    if (defaulted == NULL) {
        defaulted = DEFAULT_NAME();
    }
    if (cast == NULL) {
        cast = (PyObject *)make_widget();
    }
    if (shared == NULL) {
        PyObject *tmp = PyUnicode_FromString("shared");
        if (tmp == NULL) {
            return NULL;
        }
        shared = tmp;
        twice = tmp;
    }
    if (released == NULL) {
        PyObject *tmp = PyUnicode_FromString("released");
        released = tmp;
        Py_XDECREF(tmp);
    }
    if (offset == NULL) {
        offset = (PyObject *)((char *)arg + sizeof(PyObject));
    }
    return Py_XNewRef(widget);
}
