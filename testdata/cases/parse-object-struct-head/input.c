/* Tests: object structs as extensions write them. PyObject_HEAD,
 * PyObject_VAR_HEAD and PyException_HEAD end their member without a
 * semicolon (PyObject_HEAD expands to `PyObject ob_base;`), which
 * tree-sitter read as one declaration with the member after it: a parse
 * error in nearly every extension ("1 file with parse errors"). They are
 * read as the member they expand to: no parse error, and the caches beside
 * the structs are found and fixed as before. */
#include <Python.h>

typedef struct {
    PyObject_HEAD
    PyObject *weakreflist;
    int width, height;
} WidgetObject;
static PyObject *widget_names = NULL;   /*~ OV101 widget_names */

typedef struct {
    PyObject_VAR_HEAD   /* variable size */
    double items[1];
} VectorObject;
static PyObject *vector_zero = NULL;   /*~ OV101 vector_zero */

typedef struct {
    PyException_HEAD
    PyObject *code;
} CodecError;

struct raw_head { PyObject_HEAD long hash; };

static PyObject *
widget_names_get(PyObject *self, PyObject *unused)
{
    if (widget_names == NULL) {
        widget_names = PyTuple_New(0);
        if (widget_names == NULL)
            return NULL;
    }
    return Py_NewRef(widget_names);
}

static PyObject *
vector_zero_get(PyObject *self, PyObject *unused)
{
    if (vector_zero == NULL) {
        vector_zero = PyFloat_FromDouble(0.0);
        if (vector_zero == NULL)
            return NULL;
    }
    return Py_NewRef(vector_zero);
}
