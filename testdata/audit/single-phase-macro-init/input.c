/* The init spelled through a macro (MOD_INIT, as Python 2/3 compatible
 * code writes it), and the module created by a helper it calls: still
 * single-phase, and the Python 2 branch is not read. */
#include <Python.h>

#if PY_MAJOR_VERSION >= 3
#define MOD_INIT(name) PyMODINIT_FUNC PyInit_##name(void)
#define MOD_RETURN(m) return m
#else
#define MOD_INIT(name) PyMODINIT_FUNC init##name(void)
#define MOD_RETURN(m) return
#endif

static struct PyModuleDef compat_module = {
    PyModuleDef_HEAD_INIT, "compat", NULL, -1, NULL,
};

static PyObject *
make_module(void)
{
#if PY_MAJOR_VERSION >= 3
    return PyModule_Create(&compat_module); /*~ OV501 compat */
#else
    return Py_InitModule("compat", NULL);
#endif
}

MOD_INIT(compat) /*~ module compat single-phase pig=blocked ft=ok */
{
    PyObject *m = make_module();
    MOD_RETURN(m);
}
