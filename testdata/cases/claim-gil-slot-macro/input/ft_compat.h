/* One place to say "this module runs without the GIL": a slot entry
 * spelled through two macros, only where CPython knows the slot. */
#ifndef FT_COMPAT_H
#define FT_COMPAT_H
#include <Python.h>

#define GIL_ENTRY(value) {Py_mod_gil, value},
#if PY_VERSION_HEX >= 0x030D0000
#  define MOD_GIL_SLOT GIL_ENTRY(Py_MOD_GIL_NOT_USED)
#else
#  define MOD_GIL_SLOT
#endif

#endif
