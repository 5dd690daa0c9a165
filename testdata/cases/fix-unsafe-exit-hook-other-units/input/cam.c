/* Tests (with quit.c): a static used in a function the module hands to
 * another file's function that keeps it for an exit hook gets no safe
 * fix: no interpreter is current there. Each way of handing it: directly
 * (by_direct), through a static helper of this file (by_helper), a macro
 * (by_macro), a table of hooks passed by address (by_table), a global
 * table of the other file (by_slot), C's atexit behind the other file's
 * function (by_c_atexit). Where the callee is not in the tree
 * (by_unknown) or is called through a pointer (by_pointer), where it runs
 * is unknown: unsafe. Controls keep their safe fix: a callee run by a
 * method of the other file (by_later), a qsort comparison (by_compare),
 * a capsule destructor (by_capsule), a method of this module's own table
 * (by_method). */
#include <Python.h>
#include <stdlib.h>
#include "quit.h"

static PyObject *by_direct = NULL;    /*~ OV101 by_direct */
static PyObject *by_helper = NULL;    /*~ OV101 by_helper */
static PyObject *by_macro = NULL;     /*~ OV101 by_macro */
static PyObject *by_table = NULL;     /*~ OV101 by_table */
static PyObject *by_slot = NULL;      /*~ OV101 by_slot */
static PyObject *by_c_atexit = NULL;  /*~ OV101 by_c_atexit */
static PyObject *by_unknown = NULL;   /*~ OV101 by_unknown */
static PyObject *by_pointer = NULL;   /*~ OV101 by_pointer */
static PyObject *by_later = NULL;     /*~ OV101 by_later */
static PyObject *by_compare = NULL;   /*~ OV101 by_compare */
static PyObject *by_capsule = NULL;   /*~ OV101 by_capsule */
static PyObject *by_method = NULL;    /*~ OV101 by_method */

struct registry {
    int (*add)(void (*fn)(void));
};

static void forget_direct(void) { by_direct = NULL; }
static void forget_helper(void) { by_helper = NULL; }
static void forget_macro(void) { by_macro = NULL; }
static void forget_table(void) { by_table = NULL; }
static void forget_slot(void) { by_slot = NULL; }
static void forget_c_atexit(void) { by_c_atexit = NULL; }
static void forget_unknown(void) { by_unknown = NULL; }
static void forget_pointer(void) { by_pointer = NULL; }
static void forget_later(void) { by_later = NULL; }

static void
forget_all(void)
{
    forget_helper();
}

static int
compare(const void *a, const void *b)
{
    if (by_compare == NULL)
        return 0;
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

static void
drop_capsule(PyObject *capsule)
{
    (void)capsule;
    by_capsule = NULL;
}

static const struct quit_hooks cam_hooks = {
    .name = "cam",
    .quit = forget_table,
};

static int
schedule(void (*fn)(void))
{
    return add_quitter(fn);
}

static PyObject *
fill(PyObject *self, PyObject *registry_capsule)
{
    struct registry *reg = PyCapsule_GetPointer(registry_capsule, "registry");
    int order[3] = {3, 1, 2};
    if (reg == NULL)
        return NULL;
    if (by_direct == NULL) {
        by_direct = PyList_New(0);
        add_quitter(forget_direct);
    }
    if (by_helper == NULL) {
        by_helper = PyList_New(0);
        schedule(forget_all);
    }
    if (by_macro == NULL) {
        by_macro = PyList_New(0);
        QUIT_LATER(forget_macro);
    }
    if (by_table == NULL) {
        by_table = PyList_New(0);
        add_quit_hooks(&cam_hooks);
    }
    if (by_slot == NULL) {
        by_slot = PyList_New(0);
        quit_slots[0] = forget_slot;
    }
    if (by_c_atexit == NULL) {
        by_c_atexit = PyList_New(0);
        quit_at_c_exit((void (*)(void))forget_c_atexit);
    }
    if (by_unknown == NULL) {
        by_unknown = PyList_New(0);
        ext_register(forget_unknown);
    }
    if (by_pointer == NULL) {
        by_pointer = PyList_New(0);
        reg->add(forget_pointer);
    }
    if (by_later == NULL) {
        by_later = PyList_New(0);
        run_later(forget_later);
    }
    if (by_compare == NULL)
        by_compare = PyList_New(0);
    qsort(order, 3, sizeof(int), compare);
    if (by_capsule == NULL) {
        by_capsule = PyList_New(0);
        Py_XDECREF(PyCapsule_New(order, "order", drop_capsule));
    }
    Py_RETURN_NONE;
}

static PyObject *
get_method(PyObject *self, PyObject *unused)
{
    if (by_method == NULL)
        by_method = PyList_New(0);
    return Py_XNewRef(by_method);
}

static PyMethodDef cam_methods[] = {
    {"fill", fill, METH_O, NULL},
    {"get_method", get_method, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef cam_def = {PyModuleDef_HEAD_INIT, "cam", NULL, 0, cam_methods};

PyMODINIT_FUNC
PyInit_cam(void)
{
    return PyModuleDef_Init(&cam_def);
}
