/* Tests: a single-phase init (m_size -1) that runs its steps through
 * variables of function-pointer type, declared with the pointer in
 * parentheses: an array of const pointers walked in a loop, an array with
 * a size and no const, and one pointer called directly. Each step's lazy
 * static is set once per process, so its fix is unsafe and names the path
 * through the variable. A lazy static of a method stays safe. */
#include <Python.h>

static int add_errors(PyObject *m);
static int add_names(PyObject *m);
static int add_codes(PyObject *m);
static int add_empty(PyObject *m);

static int (*const parts[])(PyObject *) = {add_errors, add_names};
static int (*more_parts[2])(PyObject *) = {add_codes, NULL};
static int (* const last_part)(PyObject *) = add_empty;

static PyObject *Error;          /*~ OV101 Error */
static PyObject *names;          /*~ OV101 names */
static PyObject *codes;          /*~ OV101 codes */
static PyObject *empty;          /*~ OV101 empty */
static PyObject *cached_answer;  /*~ OV101 cached_answer */

static PyObject *
answer(PyObject *self, PyObject *unused)
{
    if (cached_answer == NULL) {
        cached_answer = PyLong_FromLong(42);
    }
    return Py_XNewRef(cached_answer);
}

static PyMethodDef methods[] = {
    {"answer", answer, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "parts", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_parts(void)
{
    size_t i;
    PyObject *m = PyModule_Create(&def);
    if (m == NULL) {
        return NULL;
    }
    for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (parts[i](m) < 0) {
            goto error;
        }
    }
    for (i = 0; i < 2 && more_parts[i] != NULL; i++) {
        if ((*more_parts[i])(m) < 0) {
            goto error;
        }
    }
    if (last_part(m) < 0) {
        goto error;
    }
    return m;
error:
    Py_DECREF(m);
    return NULL;
}

static int
add_errors(PyObject *m)
{
    if (Error == NULL) {
        Error = PyErr_NewException("parts.Error", NULL, NULL);
        if (Error == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "Error", Error);
}

static int
add_names(PyObject *m)
{
    if (names == NULL) {
        names = PyDict_New();
        if (names == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "names", names);
}

static int
add_codes(PyObject *m)
{
    if (codes == NULL) {
        codes = PyList_New(0);
        if (codes == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "codes", codes);
}

static int
add_empty(PyObject *m)
{
    if (empty == NULL) {
        empty = PyTuple_New(0);
        if (empty == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "empty", empty);
}
