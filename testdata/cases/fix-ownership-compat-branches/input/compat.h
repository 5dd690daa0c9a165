/* A project's compatibility header: a version flag of its own, and the
 * macros written from it. */
#ifndef COMPAT_H
#define COMPAT_H

#if PY_MAJOR_VERSION >= 3
#define IS_PY3K
#endif

#define PY3 (PY_MAJOR_VERSION >= 3)

#ifndef IS_PY3K
#define BYTES_FROM(s) PyString_FromString(s)
#else
#define BYTES_FROM(s) PyBytes_FromString(s)
#endif

#if !PY3
#define NUM_FROM(v) PyInt_FromLong(v)
#else
#define NUM_FROM(v) PyLong_FromLong(v)
#endif

#endif
