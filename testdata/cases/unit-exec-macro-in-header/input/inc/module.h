/* Part of unit-exec-macro-in-header: the project's module macros, in a
 * header that holds nothing else: the exec function's head, its name in
 * the slot table, and the init function's head built from a second
 * macro. */
#ifndef MODULE_H
#define MODULE_H

#define EXEC_NAME(name) name##_module_exec
#define MODULE_EXEC(name) static int EXEC_NAME(name)(PyObject *module)
#define INIT_NAME(name) PyInit_##name
#define MODULE_INIT(name) PyMODINIT_FUNC INIT_NAME(name)(void)

#endif
