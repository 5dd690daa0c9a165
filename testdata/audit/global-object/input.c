/* Object pointers with external linkage: one written in exec, an array of
 * them, one through a pointer typedef, a struct that starts with an object
 * header. Not reported: an `extern` declaration (the unit that defines it
 * reports it), a const pointer, a function, a non-object pointer, and a
 * `static` one (a site of `check`: OV301 here). */
#include <Python.h>

typedef PyObject *ObjRef;

typedef struct {
    PyObject_HEAD
    int n;
} Box;

PyObject *GlobalError;          /*~ OV503 GlobalError */
PyObject *Constants[4];         /*~ OV503 Constants */
ObjRef DefaultThing = NULL;     /*~ OV503 DefaultThing */
Box *LastBox;                   /*~ OV503 LastBox */
extern PyObject *DefinedElsewhere;
PyObject *const Fixed = NULL;
char *name_buffer;
PyObject *make_thing(void);
static PyObject *Private;       /*~ OV301 Private */

PyObject *
make_thing(void)
{
    return PyLong_FromLong(1);
}

static int
glob_exec(PyObject *m)
{
    GlobalError = PyErr_NewException("glob.error", NULL, NULL);
    Constants[0] = PyLong_FromLong(0);
    DefaultThing = make_thing();
    Private = PyDict_New();
    return PyModule_AddObjectRef(m, "error", GlobalError);
}

static PyModuleDef_Slot glob_slots[] = {
    {Py_mod_exec, glob_exec},
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED}, /*~ contradicted glob Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED */
    {0, NULL},
};

static struct PyModuleDef glob_module = {
    PyModuleDef_HEAD_INIT, "glob", NULL, 0, NULL, glob_slots,
};

PyMODINIT_FUNC
PyInit_glob(void) /*~ module glob multi-phase pig=blocked ft=ok */
{
    return PyModuleDef_Init(&glob_module);
}
