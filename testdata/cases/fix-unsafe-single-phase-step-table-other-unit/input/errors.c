#include <Python.h>

static PyObject *BadThing;    /*~ OV101 BadThing */
static PyObject *GoodThing;   /*~ OV101 GoodThing */

static int
add_exceptions(PyObject *m)
{
    if (BadThing == NULL) {
        BadThing = PyErr_NewException("sp.BadThing", NULL, NULL);
        if (BadThing == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "BadThing", BadThing);
}

static int
add_good(PyObject *m)
{
    if (GoodThing == NULL) {
        GoodThing = PyErr_NewException("mp.GoodThing", NULL, NULL);
        if (GoodThing == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "GoodThing", GoodThing);
}

int (*const init_steps[])(PyObject *) = {add_exceptions, NULL};
int (*const exec_steps[])(PyObject *) = {add_good, NULL};
