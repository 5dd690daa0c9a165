/* Tests (with quit.c and other.c): a fix whose safety depends on what
 * another translation unit does is not safe when that unit cannot be
 * read (quit.c: its call graph overflows). A function handed to its
 * reg_quit (handed), a function stored in its quit_slots (stored), a
 * static written in fill_cache, which quit.c's single-phase init calls
 * and other.c's method calls at run time (filled): each unsafe, the
 * reason naming quit.c. Control: a static none of them touch (plain). */
#include <Python.h>
#include "quit.h"

static PyObject *handed = NULL;   /*~ OV101 handed */
static PyObject *stored = NULL;   /*~ OV101 stored */
static PyObject *filled = NULL;   /*~ OV101 filled */
static PyObject *plain = NULL;    /*~ OV101 plain */

static void forget_handed(void) { handed = NULL; }
static void forget_stored(void) { stored = NULL; }

PyObject *
fill_cache(void)
{
    if (filled == NULL)
        filled = PyDict_New();
    return filled;
}

static PyObject *
get(PyObject *self, PyObject *unused)
{
    if (handed == NULL) {
        handed = PyList_New(0);
        reg_quit(forget_handed);
    }
    if (stored == NULL) {
        stored = PyList_New(0);
        quit_slots[0] = forget_stored;
    }
    if (plain == NULL)
        plain = PyList_New(0);
    return PyTuple_Pack(3, handed, stored, plain);
}

static PyMethodDef methods[] = {{"get", get, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "mod", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_mod(void)
{
    return PyModuleDef_Init(&def);
}
