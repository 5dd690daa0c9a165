/* Tests: the initialising function gives the reference away, so the static
 * only borrows: `Py_DECREF(v)` after handing it to the module, and `v`
 * passed to PyModule_AddObject (which steals) without a Py_INCREF. The fix
 * declares the keys non-owning (Py_ONCEVAR_DECLARE_BORROWED): releasing
 * them at exit would be an over-release. */
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE_BORROWED(PyObject *, ErrorObject);    /*~ OV101 ErrorObject */
Py_ONCEVAR_DECLARE_BORROWED(PyObject *, WarningObject);  /*~ OV101 WarningObject */

static int
spam_exec(PyObject *m)
{
    if (Py_ONCEVAR(ErrorObject) == NULL) {
        Py_ONCEVAR(ErrorObject) = PyErr_NewException("spam.error", NULL, NULL);
        if (Py_ONCEVAR(ErrorObject) == NULL) {
            return -1;
        }
    }
    int rc = PyModule_AddType(m, (PyTypeObject *)Py_ONCEVAR(ErrorObject));
    Py_DECREF(Py_ONCEVAR(ErrorObject));
    if (rc < 0) {
        return -1;
    }
    if (Py_ONCEVAR(WarningObject) == NULL) {
        Py_ONCEVAR(WarningObject) = PyErr_NewException("spam.warning", PyExc_Warning, NULL);
        if (Py_ONCEVAR(WarningObject) == NULL) {
            return -1;
        }
    }
    return PyModule_AddObject(m, "warning", Py_ONCEVAR(WarningObject));
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
