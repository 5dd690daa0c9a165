/* Tests: statement macros written without `;` (the manual form of
 * releasing the GIL, Py_UNBLOCK_THREADS / Py_BLOCK_THREADS, an alias of
 * one, and an object-like macro of the file that expands to a whole
 * statement) before a declaration whose type is a typedef: tree-sitter
 * read `Py_UNBLOCK_THREADS level_t lvl = 3;` as a declaration and broke
 * the function, which swallowed the init-set static after it (my_error
 * was not reported) and gave the lazy cache of the next function the
 * function `if` and an unsafe fix. Each such macro is read as the empty
 * statement it stands for: my_error is OV301, cache and counter are lazy
 * with safe fixes in their own functions. Not read so: the same macros
 * with their `;` (counter's function). */
#include <Python.h>

typedef unsigned long level_t;

#define RELEASE Py_UNBLOCK_THREADS
#define ACQUIRE Py_BLOCK_THREADS
#define REQUIRE_ARGS if (args == NULL) return NULL;

static PyObject *
do_work(PyObject *self, PyObject *args)
{
    PyThreadState *_save;
    REQUIRE_ARGS
    Py_UNBLOCK_THREADS
    level_t lvl = 3;
    (void)lvl;
    Py_BLOCK_THREADS
    if (args)
        Py_INCREF(args);
    RELEASE
    level_t again = 4;
    (void)again;
    ACQUIRE
    if (args)
        Py_DECREF(args);
    Py_RETURN_NONE;
}

static PyObject *
get_cache(PyObject *self, PyObject *unused)
{
    static PyObject *cache = NULL; /*~ OV101 cache */
    if (cache == NULL) {
        cache = PyDict_New();
        if (cache == NULL)
            return NULL;
    }
    return Py_NewRef(cache);
}

static PyObject *
get_counter(PyObject *self, PyObject *unused)
{
    static PyObject *counter = NULL; /*~ OV101 counter */
    PyThreadState *_save;
    Py_UNBLOCK_THREADS;
    level_t lvl = 1;
    (void)lvl;
    Py_BLOCK_THREADS;
    if (counter == NULL) {
        counter = PyLong_FromLong(0);
        if (counter == NULL)
            return NULL;
    }
    return Py_NewRef(counter);
}

static PyObject *my_error; /*~ OV301 my_error */

static PyMethodDef methods[] = {
    {"do_work", do_work, METH_VARARGS, NULL},
    {"get_cache", get_cache, METH_NOARGS, NULL},
    {"get_counter", get_counter, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "statement_macro", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_statement_macro(void)
{
    PyObject *m = PyModule_Create(&module_def);
    if (m == NULL)
        return NULL;
    my_error = PyErr_NewException("statement_macro.error", NULL, NULL);
    if (my_error != NULL) {
        Py_INCREF(my_error);
        PyModule_AddObject(m, "error", my_error);
    }
    return m;
}
