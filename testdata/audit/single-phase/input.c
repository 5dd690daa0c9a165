/* Single-phase init (PyModule_Create, m_size -1): an interpreter with its
 * own GIL refuses the import. Its error class is set at init (OV301) and
 * shared; nothing of it races without the GIL. */
#include <Python.h>

static PyObject *SpamError; /*~ OV301 SpamError */

static PyObject *
spam_fail(PyObject *self, PyObject *unused)
{
    PyErr_SetString(SpamError, "failed");
    return NULL;
}

static PyMethodDef spam_methods[] = {
    {"fail", spam_fail, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef spam_module = {
    PyModuleDef_HEAD_INIT, "spam", NULL, -1, spam_methods,
};

PyMODINIT_FUNC
PyInit_spam(void) /*~ module spam single-phase pig=blocked ft=ok */
{
    PyObject *m = PyModule_Create(&spam_module); /*~ OV501 spam */
    if (m == NULL) {
        return NULL;
    }
    SpamError = PyErr_NewException("spam.error", NULL, NULL);
    if (PyModule_AddObjectRef(m, "error", SpamError) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
/*~ blocks spam OV501 spam pig */
/*~ blocks spam OV301 SpamError pig */
