/* A compatibility header: Python 2 defaults, undefined and defined again
 * for Python 3 below them, and one undefined unconditionally. */
#ifndef UNDEF_COMPAT_H
#define UNDEF_COMPAT_H
#define TEXT_FROM(s) PyString_FromString(s)
#define NAME_FROM(s) PyString_InternFromString(s)
#if PY_MAJOR_VERSION >= 3
#undef TEXT_FROM
#define TEXT_FROM(s) PyUnicode_FromString(s)
#endif
#undef NAME_FROM
#define NAME_FROM(s) PyUnicode_InternFromString(s)
#endif
