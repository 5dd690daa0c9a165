/* Tests: the guard in a header's static inline function runs a helper of
 * the .c file that fills two statics declared in one declaration of the
 * header, the second through Py_XSETREF and a helper in between: the fix
 * of the first is unsafe (the second is no lazy site of its own). */
#include "tokens.h"

static int
set_close(void)
{
    Py_XSETREF(tok_close, PyUnicode_FromString(">>"));
    return tok_close ? 0 : -1;
}

int
fill_tokens(void)
{
    tok_open = PyUnicode_FromString("<<");
    if (tok_open == NULL)
        return -1;
    return set_close();
}

static PyObject *
mark(PyObject *self, PyObject *arg)
{
    if (ensure_tokens() < 0)
        return NULL;
    return PyUnicode_FromFormat("%U%U%U", tok_open, arg, tok_close);
}

static PyMethodDef methods[] = {{"mark", mark, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "fills_unit", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_fills_unit(void)
{
    return PyModuleDef_Init(&def);
}
