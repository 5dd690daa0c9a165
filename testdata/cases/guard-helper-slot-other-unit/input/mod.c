/* Tests: a static's address handed, outside any guard, to a function that
 * this unit does not define. Where another unit of the tree defines it,
 * it is read there as a helper of the unit is: a filler under a NULL test
 * of the slot (beside, in a subfolder, through a typedef, declared
 * through a macro, reached through a wrapper) makes the call the static's
 * guarded write (OV101, unsafe: what it stores is not followed across
 * units, the reason names the function and its file); one that only
 * reads is a use (shown, filled under its own guard here); one that
 * clears is a release (dropped, OV102); one that fills whatever the slot
 * holds is state (no site); one that does what oncevar does not follow
 * (remember keeps the address) is unsafe, naming its file, and so is one
 * that two files define (dup_fill). Where no file defines it where oncevar reads
 * it (ext_fill; fetch_macro_defined, defined through a macro), the site is
 * reported, unsafe, naming the function. Before, each of these sites
 * vanished: the call was taken for a write outside any guard. */
#include <Python.h>
#include "util.h"
#include "sub/fill.h"

static PyObject *formatter = NULL; /*~ OV101 formatter */
static PyObject *parser = NULL;    /*~ OV101 parser */
static PyObject *in_sub = NULL;    /*~ OV101 in_sub */
static PyObject *typed = NULL;     /*~ OV101 typed */
static PyObject *declared = NULL;  /*~ OV101 declared */
static PyObject *macro_defined = NULL; /*~ OV101 macro_defined */
static PyObject *wrapped = NULL;   /*~ OV101 wrapped */
static PyObject *shown = NULL;     /*~ OV101 shown */
static PyObject *dropped = NULL;   /*~ OV102 dropped */
static PyObject *always = NULL;
static PyObject *nowhere = NULL;   /*~ OV101 nowhere */
static PyObject *remembered = NULL; /*~ OV101 remembered */
static PyObject *twice = NULL;     /*~ OV101 twice */

static PyObject *
get(PyObject *self, PyObject *arg)
{
    fetch_attr("string", "Formatter", &formatter);
    fetch_attr("argparse", "ArgumentParser", &parser);
    sub_fetch(&in_sub);
    fetch_typed(&typed);
    fetch_declared(&declared);
    fetch_macro_defined(&macro_defined);
    fetch_wrapped(&wrapped);
    if (shown == NULL) {
        shown = PyList_New(0);
        if (shown == NULL) {
            return NULL;
        }
    }
    if (dropped == NULL) {
        dropped = PyList_New(0);
    }
    fill_always(&always);
    ext_fill(&nowhere);
    if (remembered == NULL) {
        remembered = PyList_New(0);
    }
    remember(&remembered);
    dup_fill(&twice);
    return show(&shown);
}

static PyObject *
clear(PyObject *self, PyObject *arg)
{
    drop_slot(&dropped);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {"clear", clear, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "mod", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_mod(void)
{
    return PyModuleDef_Init(&def);
}
