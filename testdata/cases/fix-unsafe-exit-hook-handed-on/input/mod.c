/* Tests (with reg.c and hooks.c): a static used in a function that ends
 * up in another file's linked list (via_list) or in a static struct of
 * this file whose address another file keeps (via_struct), both walked
 * at exit, gets no safe fix. Control: a static no such function uses
 * (plain) keeps it. */
#include <Python.h>
#include "reg.h"

static PyObject *via_list = NULL;    /*~ OV101 via_list */
static PyObject *via_struct = NULL;  /*~ OV101 via_struct */
static PyObject *plain = NULL;       /*~ OV101 plain */

static struct hooks struct_hooks;

static void forget_list(void) { via_list = NULL; }
static void forget_struct(void) { via_struct = NULL; }

static PyObject *
get(PyObject *self, PyObject *unused)
{
    if (via_list == NULL) {
        via_list = PyList_New(0);
        reg_quit(forget_list);
    }
    if (via_struct == NULL) {
        via_struct = PyList_New(0);
        struct_hooks.quit = forget_struct;
        add_hooks(&struct_hooks);
    }
    if (plain == NULL)
        plain = PyList_New(0);
    return PyTuple_Pack(3, via_list, via_struct, plain);
}

static PyMethodDef methods[] = {{"get", get, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "handed_on", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_handed_on(void)
{
    return PyModuleDef_Init(&def);
}
