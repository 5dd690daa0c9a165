/* A project's compatibility header: the cache lock is a PyMutex where
 * CPython has one, and nothing on the older versions, which have a GIL. */
#ifndef LOCK_COMPAT_H
#define LOCK_COMPAT_H
#include <Python.h>

#if PY_VERSION_HEX >= 0x030D0000
static PyMutex cache_lock;
#  define LOCK() PyMutex_Lock(&cache_lock)
#  define UNLOCK() PyMutex_Unlock(&cache_lock)
#  define ACQUIRE PyMutex_Lock(&cache_lock)
#  define RELEASE PyMutex_Unlock(&cache_lock)
#  define LOCK_OR_COUNT() PyMutex_Lock(&cache_lock)
#else
#  define LOCK() ((void)0)
#  define UNLOCK() do { } while (0)
#  define ACQUIRE
#  define RELEASE
#  define LOCK_OR_COUNT() (lock_misses++)
#  define Py_mod_gil 4
#  define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

/* Two levels: the cache's own names for the header's lock. */
#define CACHE_ENTER() LOCK()
#define CACHE_LEAVE() UNLOCK()

#endif
