/* A py2/py3 compatibility header whose init macro defines the module's
 * init function whole, body included, and forwards to the module's own
 * `module_setup()`. */
#ifndef COMPAT_INIT_H
#define COMPAT_INIT_H
#if PY_MAJOR_VERSION >= 3
#define COMPAT_MODULE_INIT(name) \
    PyMODINIT_FUNC PyInit_ ## name(void); \
    PyMODINIT_FUNC PyInit_ ## name(void) { return module_setup(); }
#else
#define COMPAT_MODULE_INIT(name) \
    void init ## name(void); \
    void init ## name(void) { (void)module_setup(); }
#endif
#endif
