/* Tests (with reg.c): a function kept in a local aggregate, then handed
 * from there to reg_quit (whose table reg.c's Py_AtExit hook walks) or
 * to Py_AtExit, runs at exit: each static it uses gets no safe fix,
 * however the aggregate is spelled: a designated initialiser (desig), a
 * positional one (positional), a member assigned later (assigned), a
 * local array (array), a local pointer (pointer), a pointer to the
 * local (through_ptr), a nested aggregate (nested), the local by value or
 * by address to a helper of the unit (by_value, by_address), a macro
 * reading the member (by_macro), Py_AtExit itself (at_exit), a function
 * pointer chosen by a conditional (chosen); a local whose path oncevar
 * does not follow (returned, by a helper whose callers are not read) is
 * unknown. Controls keep their safe fix: a local aggregate whose
 * function is called in place (ctl_called), whose other member only is
 * handed on (ctl_name). */
#include <Python.h>
#include <stdio.h>
#include "reg.h"

static PyObject *desig = NULL;        /*~ OV101 desig */
static PyObject *positional = NULL;   /*~ OV101 positional */
static PyObject *assigned = NULL;     /*~ OV101 assigned */
static PyObject *array = NULL;        /*~ OV101 array */
static PyObject *pointer = NULL;      /*~ OV101 pointer */
static PyObject *through_ptr = NULL;  /*~ OV101 through_ptr */
static PyObject *nested = NULL;       /*~ OV101 nested */
static PyObject *by_value = NULL;     /*~ OV101 by_value */
static PyObject *by_address = NULL;   /*~ OV101 by_address */
static PyObject *by_macro = NULL;     /*~ OV101 by_macro */
static PyObject *at_exit = NULL;      /*~ OV101 at_exit */
static PyObject *chosen = NULL;       /*~ OV101 chosen */
static PyObject *returned = NULL;     /*~ OV101 returned */
static PyObject *ctl_called = NULL;   /*~ OV101 ctl_called */
static PyObject *ctl_name = NULL;     /*~ OV101 ctl_name */

static void forget_desig(void) { desig = NULL; }
static void forget_positional(void) { positional = NULL; }
static void forget_assigned(void) { assigned = NULL; }
static void forget_array(void) { array = NULL; }
static void forget_pointer(void) { pointer = NULL; }
static void forget_through_ptr(void) { through_ptr = NULL; }
static void forget_nested(void) { nested = NULL; }
static void forget_by_value(void) { by_value = NULL; }
static void forget_by_address(void) { by_address = NULL; }
static void forget_by_macro(void) { by_macro = NULL; }
static void forget_at_exit(void) { at_exit = NULL; }
static void forget_chosen(void) { chosen = NULL; }
static void other_chosen(void) { }
static void forget_returned(void) { returned = NULL; }
static void forget_ctl_called(void) { ctl_called = NULL; }
static void forget_ctl_name(void) { ctl_name = NULL; }

static int
hand_value(struct hooks h)
{
    return reg_quit(h.quit);
}

static int
hand_address(const struct hooks *h)
{
    return reg_quit(h->quit);
}

static struct hooks
hooks_of_returned(void)
{
    struct hooks local = {.name = "returned", .quit = forget_returned};
    return local;
}

static PyObject *
fill(PyObject *self, PyObject *flag)
{
    if (desig == NULL) {
        struct hooks local = {.name = "desig", .quit = forget_desig};
        desig = PyList_New(0);
        reg_quit(local.quit);
    }
    if (positional == NULL) {
        struct hooks local = {"positional", forget_positional};
        positional = PyList_New(0);
        reg_quit(local.quit);
    }
    if (assigned == NULL) {
        struct hooks local;
        assigned = PyList_New(0);
        local.name = "assigned";
        local.quit = forget_assigned;
        reg_quit(local.quit);
    }
    if (array == NULL) {
        void (*fns[2])(void) = {NULL, forget_array};
        array = PyList_New(0);
        reg_quit(fns[1]);
    }
    if (pointer == NULL) {
        void (*p)(void) = forget_pointer;
        pointer = PyList_New(0);
        reg_quit(p);
    }
    if (through_ptr == NULL) {
        struct hooks local = {.quit = forget_through_ptr};
        struct hooks *hp;
        through_ptr = PyList_New(0);
        hp = &local;
        reg_quit(hp->quit);
    }
    if (nested == NULL) {
        struct hook_set set = {.inner = {.name = "nested", .quit = forget_nested}};
        nested = PyList_New(0);
        reg_quit(set.inner.quit);
    }
    if (by_value == NULL) {
        struct hooks local = {.quit = forget_by_value};
        by_value = PyList_New(0);
        hand_value(local);
    }
    if (by_address == NULL) {
        struct hooks local = {.quit = forget_by_address};
        by_address = PyList_New(0);
        hand_address(&local);
    }
    if (by_macro == NULL) {
        struct hooks local = {.quit = forget_by_macro};
        by_macro = PyList_New(0);
        REG_QUIT_OF(local);
    }
    if (at_exit == NULL) {
        struct hooks local = {.quit = forget_at_exit};
        at_exit = PyList_New(0);
        Py_AtExit(local.quit);
    }
    if (chosen == NULL) {
        void (*p)(void) = flag == Py_None ? other_chosen : forget_chosen;
        chosen = PyList_New(0);
        reg_quit(p);
    }
    if (returned == NULL) {
        returned = PyList_New(0);
        reg_quit(hooks_of_returned().quit);
    }
    if (ctl_called == NULL) {
        struct hooks local = {.name = "ctl_called", .quit = forget_ctl_called};
        ctl_called = PyList_New(0);
        if (flag == Py_None)
            local.quit();
    }
    if (ctl_name == NULL) {
        struct hooks local = {.name = "ctl_name", .quit = forget_ctl_name};
        ctl_name = PyList_New(0);
        puts(local.name);
        if (flag == Py_None)
            local.quit();
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {{"fill", fill, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "local_aggregates", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_local_aggregates(void)
{
    return PyModuleDef_Init(&def);
}
