/* Tests: a borrowed value made strong beside the store, however the incref
 * is spelled: Py_XINCREF, a cast on the incref's argument, an incref inside
 * an `if` on the static, a macro of the file that is one incref (also in
 * do/while, and a macro calling such a macro), an incref of a local before
 * it is stored, the function form Py_IncRef (what stable-ABI code calls).
 * Each slot then owns what it holds as it is: no Py_XNewRef,
 * exactly one strong reference, also through a macro that does more than
 * an incref (KEEP_COUNTED: its expansion is read, the incref is in it). */
#include <Python.h>
#include <datetime.h>

#define KEEP(o) Py_INCREF(o)
#define HOLD(o) do { Py_XINCREF((o)); } while (0)
#define RETAIN(o) KEEP(o)
#define KEEP_COUNTED(o) do { Py_INCREF(o); kept++; } while (0)

static int kept;

static PyObject *xincref = NULL;        /*~ OV101 xincref */
static PyObject *incref_cast = NULL;    /*~ OV101 incref_cast */
static PyObject *incref_cond = NULL;    /*~ OV101 incref_cond */
static PyObject *incref_macro = NULL;   /*~ OV101 incref_macro */
static PyObject *incref_do = NULL;      /*~ OV101 incref_do */
static PyObject *incref_nested = NULL;  /*~ OV101 incref_nested */
static PyObject *incref_local = NULL;   /*~ OV101 incref_local */
static PyObject *counted = NULL;        /*~ OV101 counted */
static PyObject *incref_func = NULL;    /*~ OV101 incref_func */

static PyObject *
get(PyObject *self, PyObject *args)
{
    if (xincref == NULL) {
        xincref = PySys_GetObject("displayhook");
        Py_XINCREF(xincref);
    }
    if (incref_cast == NULL) {
        PyDateTime_IMPORT;
        if (PyDateTimeAPI == NULL) {
            return NULL;
        }
        incref_cast = PyDateTimeAPI->TimeZone_UTC;
        Py_INCREF((PyObject *)incref_cast);
    }
    if (incref_cond == NULL) {
        incref_cond = PySys_GetObject("stdin");
        if (incref_cond != NULL) {
            Py_INCREF(incref_cond);
        }
    }
    if (incref_macro == NULL) {
        incref_macro = PySys_GetObject("stdout");
        if (incref_macro == NULL) {
            return NULL;
        }
        KEEP(incref_macro);
    }
    if (incref_do == NULL) {
        incref_do = PySys_GetObject("stderr");
        HOLD(incref_do);
    }
    if (incref_nested == NULL) {
        incref_nested = PyTuple_GetItem(args, 0);
        if (incref_nested == NULL) {
            return NULL;
        }
        RETAIN(incref_nested);
    }
    if (incref_local == NULL) {
        PyObject *hook = PySys_GetObject("excepthook");
        Py_XINCREF(hook);
        incref_local = hook;
    }
    if (counted == NULL) {
        counted = PySys_GetObject("argv");
        if (counted == NULL) {
            return NULL;
        }
        KEEP_COUNTED(counted);
    }
    Py_RETURN_NONE;
}

static PyObject *
get_func(PyObject *self, PyObject *args)
{
    if (incref_func == NULL) {
        incref_func = PySys_GetObject("excepthook");
        Py_IncRef(incref_func);
    }
    return Py_XNewRef(incref_func);
}

static PyMethodDef methods[] = {
    {"get", get, METH_VARARGS, NULL},
    {"get_func", get_func, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyModuleDef_Slot slots[] = {
    {0, NULL}
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "incref_forms", NULL, 0, methods, slots
};

PyMODINIT_FUNC
PyInit_incref_forms(void)
{
    return PyModuleDef_Init(&def);
}
