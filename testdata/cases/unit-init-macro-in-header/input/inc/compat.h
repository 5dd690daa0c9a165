/* Part of unit-init-macro-in-header: the Python 2/3 init macros, in a
 * project header that holds nothing else. */
#ifndef COMPAT_H
#define COMPAT_H

#if PY_MAJOR_VERSION >= 3
#define MOD_INIT(name) PyMODINIT_FUNC PyInit_##name(void)
#define MOD_ERROR NULL
#define MOD_SUCCESS(m) m
#else
#define MOD_INIT(name) PyMODINIT_FUNC init##name(void)
#define MOD_ERROR
#define MOD_SUCCESS(m)
#endif

#endif
