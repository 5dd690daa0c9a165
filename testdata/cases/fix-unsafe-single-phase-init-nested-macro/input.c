/* Tests: a single-phase module whose init function's head comes from a
 * macro that calls another (`MODULE_INIT(name)` expands to
 * `PyMODINIT_FUNC INIT_NAME(name)(void)`, and `INIT_NAME(name)` to
 * `PyInit_ ## name`). A lazy exception created in a helper that init
 * reaches is unsafe to rewrite (a later interpreter copies the first
 * one's module dict), also when init calls the helper through a macro
 * that pastes its name (`ADD(types)` calls `add_types`); a lazy cache in
 * a method stays safe. */
#include <Python.h>

#define INIT_NAME(name) PyInit_ ## name
#define MODULE_INIT(name) PyMODINIT_FUNC INIT_NAME(name)(void)
#define ADD(what) add_##what(module)

static PyObject *ParseError = NULL;     /*~ OV101 ParseError */
static PyObject *separator = NULL;      /*~ OV101 separator */
static PyObject *Token = NULL;          /*~ OV101 Token */

static int
add_types(PyObject *module)
{
    if (Token == NULL) {
        Token = PyUnicode_InternFromString("token");
        if (Token == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(module, "Token", Token);
}

static int
add_errors(PyObject *module)
{
    if (ParseError == NULL) {
        ParseError = PyErr_NewException("tok.ParseError", NULL, NULL);
        if (ParseError == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(module, "ParseError", ParseError);
}

static PyObject *
split(PyObject *self, PyObject *text)
{
    if (separator == NULL) {
        separator = PyUnicode_InternFromString(" ");
        if (separator == NULL) {
            return NULL;
        }
    }
    return PyUnicode_Split(text, separator, -1);
}

static PyMethodDef tok_methods[] = {
    {"split", split, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef tok_module = {
    PyModuleDef_HEAD_INIT, "tok", NULL, -1, tok_methods,
};

MODULE_INIT(tok)
{
    PyObject *module = PyModule_Create(&tok_module);
    if (module == NULL) {
        return NULL;
    }
    if (add_errors(module) < 0 || ADD(types) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
