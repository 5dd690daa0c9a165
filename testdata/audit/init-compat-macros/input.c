/* The porting HOWTO's compatibility macros: the init's head (MOD_INIT),
 * the module's definition and creation (MOD_DEF, defined for both
 * Pythons: Python 2's Py_InitModule3 is not how Python 3 creates it),
 * and the error return (INITERROR) all through macros. Single-phase, with
 * an exception set once in the init. */
#include <Python.h>

#if PY_MAJOR_VERSION >= 3
#define MOD_ERROR_VAL NULL
#define MOD_SUCCESS_VAL(val) val
#define MOD_INIT(name) PyMODINIT_FUNC PyInit_##name(void)
#define MOD_DEF(ob, name, doc, methods) \
    static struct PyModuleDef moduledef = { \
        PyModuleDef_HEAD_INIT, name, doc, -1, methods, }; \
    ob = PyModule_Create(&moduledef);
#define INITERROR return NULL
#else
#define MOD_ERROR_VAL
#define MOD_SUCCESS_VAL(val)
#define MOD_INIT(name) void init##name(void)
#define MOD_DEF(ob, name, doc, methods) \
    ob = Py_InitModule3(name, methods, doc);
#define INITERROR return
#endif

static PyObject *HamError; /*~ OV301 HamError fix=unsafe */

static PyObject *
ham_fail(PyObject *self, PyObject *unused)
{
    PyErr_SetString(HamError, "no ham");
    return NULL;
}

static PyMethodDef ham_methods[] = {
    {"fail", ham_fail, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

MOD_INIT(ham) /*~ module ham single-phase pig=blocked ft=ok */
{
    PyObject *m;
    MOD_DEF(m, "ham", "the ham module", ham_methods) /*~ OV501 ham */
    if (m == NULL)
        return MOD_ERROR_VAL;
    HamError = PyErr_NewException("ham.error", NULL, NULL);
    if (HamError == NULL)
        INITERROR;
    Py_INCREF(HamError);
    PyModule_AddObject(m, "error", HamError);
    return MOD_SUCCESS_VAL(m);
}
