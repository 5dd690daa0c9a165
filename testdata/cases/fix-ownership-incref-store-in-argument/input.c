/* Tests: a borrowed value made strong in the store's own statement or by a
 * call oncevar cannot read. Owned as they are: the store inside the
 * incref's argument (in_argument, breaker's v22 shape; with a cast,
 * cast_argument), the comma form (comma), the incref in the `if` whose
 * condition stores (in_condition), Py_XNewRef or Py_NewRef of the static
 * with the result dropped (newref_dropped, void_newref). Unsafe: a function
 * declared here but defined elsewhere takes the static (elsewhere), or a
 * local stored in it (local_elsewhere), whatever its name says: one named
 * for nothing of references (logged_elsewhere, log_object) may take one
 * as well, which oncevar cannot read. */
#include <Python.h>

extern void keep_ref_elsewhere(PyObject *o);
extern void log_object(PyObject *o);

static PyObject *in_argument = NULL;     /*~ OV101 in_argument */
static PyObject *cast_argument = NULL;   /*~ OV101 cast_argument */
static PyObject *comma = NULL;           /*~ OV101 comma */
static PyObject *in_condition = NULL;    /*~ OV101 in_condition */
static PyObject *newref_dropped = NULL;  /*~ OV101 newref_dropped */
static PyObject *void_newref = NULL;     /*~ OV101 void_newref */
static PyObject *elsewhere = NULL;       /*~ OV101 elsewhere */
static PyObject *logged_elsewhere = NULL; /*~ OV101 logged_elsewhere */
static PyObject *local_elsewhere = NULL; /*~ OV101 local_elsewhere */

static PyObject *
get(PyObject *self, PyObject *args)
{
    PyObject *builtins = PyEval_GetBuiltins();

    if (in_argument == NULL) {
        Py_XINCREF(in_argument = PyDict_GetItemString(builtins, "print"));
        if (in_argument == NULL) {
            return PyErr_Format(PyExc_RuntimeError, "no print");
        }
    }
    if (cast_argument == NULL) {
        Py_XINCREF((PyObject *)(cast_argument = PyDict_GetItemString(builtins, "len")));
    }
    if (comma == NULL) {
        comma = PyDict_GetItemString(builtins, "open"), Py_XINCREF(comma);
    }
    if (in_condition == NULL) {
        if ((in_condition = PyDict_GetItemString(builtins, "repr")) != NULL) {
            Py_INCREF(in_condition);
        }
    }
    if (newref_dropped == NULL) {
        newref_dropped = PyDict_GetItemString(builtins, "iter");
        Py_XNewRef(newref_dropped);
    }
    if (void_newref == NULL) {
        void_newref = PyDict_GetItemString(builtins, "next");
        if (void_newref == NULL) {
            return NULL;
        }
        (void)Py_NewRef(void_newref);
    }
    if (elsewhere == NULL) {
        elsewhere = PyDict_GetItemString(builtins, "hash");
        keep_ref_elsewhere(elsewhere);
    }
    if (logged_elsewhere == NULL) {
        logged_elsewhere = PyDict_GetItemString(builtins, "id");
        log_object(logged_elsewhere);
    }
    if (local_elsewhere == NULL) {
        PyObject *found = PyDict_GetItemString(builtins, "dir");
        keep_ref_elsewhere(found);
        local_elsewhere = found;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"get", get, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "incref_store", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_incref_store(void)
{
    return PyModuleDef_Init(&module);
}
