/* A single-phase module (m_size -1) that sets an exception and a type once
 * in its init: no per-interpreter slot can be filled by a later
 * interpreter, which gets a copy of the first one's module dict, so the
 * fix is unsafe and names OV501 and multi-phase init as the first step. */
#include <Python.h>

static PyObject *SpamError;   /*~ OV301 SpamError fix=unsafe */
static PyObject *spam_cache;  /*~ OV301 spam_cache fix=unsafe */

static PyObject *
spam_fail(PyObject *self, PyObject *unused)
{
    PyErr_SetObject(SpamError, spam_cache);
    return NULL;
}

static PyMethodDef spam_methods[] = {
    {"fail", spam_fail, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef spam_module = {
    PyModuleDef_HEAD_INIT, "spam", NULL, -1, spam_methods,
};

static int
init_cache(void)
{
    spam_cache = PyDict_New();
    return spam_cache == NULL ? -1 : 0;
}

PyMODINIT_FUNC
PyInit_spam(void) /*~ module spam single-phase pig=blocked ft=ok after-fix=blocked */
{
    PyObject *m = PyModule_Create(&spam_module); /*~ OV501 spam */
    if (m == NULL || init_cache() < 0) {
        return NULL;
    }
    SpamError = PyErr_NewException("spam.error", NULL, NULL);
    if (PyModule_AddObjectRef(m, "error", SpamError) < 0) {
        return NULL;
    }
    return m;
}
