/* Tests: the initialising function gives the reference away, so the static
 * only borrows: `Py_DECREF(v)` after handing it to the module, and `v`
 * passed to PyModule_AddObject (which steals) without a Py_INCREF. The fix
 * declares the keys non-owning (Py_ONCEVAR_DECLARE_BORROWED): releasing
 * them at exit would be an over-release. */
#include <Python.h>

static PyObject *ErrorObject = NULL;    /*~ OV101 ErrorObject */
static PyObject *WarningObject = NULL;  /*~ OV101 WarningObject */

static int
spam_exec(PyObject *m)
{
    if (ErrorObject == NULL) {
        ErrorObject = PyErr_NewException("spam.error", NULL, NULL);
        if (ErrorObject == NULL) {
            return -1;
        }
    }
    int rc = PyModule_AddType(m, (PyTypeObject *)ErrorObject);
    Py_DECREF(ErrorObject);
    if (rc < 0) {
        return -1;
    }
    if (WarningObject == NULL) {
        WarningObject = PyErr_NewException("spam.warning", PyExc_Warning, NULL);
        if (WarningObject == NULL) {
            return -1;
        }
    }
    return PyModule_AddObject(m, "warning", WarningObject);
}

static PyModuleDef_Slot spam_slots[] = {
    {Py_mod_exec, spam_exec},
    {0, NULL},
};

static struct PyModuleDef spam_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "spam",
    .m_slots = spam_slots,
};

PyMODINIT_FUNC
PyInit_spam(void)
{
    return PyModuleDef_Init(&spam_module);
}
