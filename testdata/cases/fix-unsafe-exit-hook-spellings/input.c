/* Tests: exit hooks registered in other spellings than a plain
 * `Py_AtExit(hook)`: through a cast, a macro of the file (and a macro of
 * that macro), the file's own wrapper function, a function-pointer local
 * assigned before it is handed to atexit. A static used in any of those
 * hooks gets no safe fix; one the hooks never touch keeps it. */
#include <Python.h>
#include <stdlib.h>

#define AT_EXIT(f) Py_AtExit(f)
#define CLEANUP_LATER(f) AT_EXIT(f)

static PyObject *by_cast = NULL;     /*~ OV101 by_cast */
static PyObject *by_macro = NULL;    /*~ OV101 by_macro */
static PyObject *by_wrapper = NULL;  /*~ OV101 by_wrapper */
static PyObject *by_local = NULL;    /*~ OV101 by_local */
static PyObject *untouched = NULL;   /*~ OV101 untouched */

static int drop_cast(int unused) { by_cast = NULL; return unused; }
static void drop_macro(void) { by_macro = NULL; }
static void drop_wrapper(void) { by_wrapper = NULL; }
static void drop_local(void) { by_local = NULL; }

static int
schedule_teardown(void (*fn)(void))
{
    return atexit(fn);
}

static PyObject *
get(PyObject *self, PyObject *unused)
{
    void (*later)(void);
    if (by_cast == NULL) {
        by_cast = PyDict_New();
        Py_AtExit((void (*)(void))drop_cast);
    }
    if (by_macro == NULL) {
        by_macro = PyDict_New();
        CLEANUP_LATER(drop_macro);
    }
    if (by_wrapper == NULL) {
        by_wrapper = PyDict_New();
        schedule_teardown(drop_wrapper);
    }
    if (by_local == NULL) {
        by_local = PyDict_New();
        later = drop_local;
        atexit(later);
    }
    if (untouched == NULL)
        untouched = PyDict_New();
    return PyTuple_Pack(5, by_cast, by_macro, by_wrapper, by_local, untouched);
}

static PyMethodDef methods[] = {{"get", get, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "exit_spellings", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_exit_spellings(void)
{
    return PyModuleDef_Init(&def);
}
