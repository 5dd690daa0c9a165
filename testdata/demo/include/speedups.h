/* speedups.h - shared declarations for the _speedups extension module. */
#ifndef SPEEDUPS_H
#define SPEEDUPS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if defined(__GNUC__) || defined(__clang__)
#  define SPEEDUPS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#  define SPEEDUPS_UNLIKELY(x) (x)
#endif

#define SPEEDUPS_CACHE_MAX 128

/* Statistics kept by the memo cache (see _cache.c). */
struct lru_stats {
    Py_ssize_t hits;
    Py_ssize_t misses;
    Py_ssize_t evictions;
};

/* _cache.c */
PyObject *speedups_memo_get(PyObject *key, PyObject *(*compute)(PyObject *));
struct lru_stats *speedups_memo_stats(void);
int speedups_cache_exec(PyObject *module);
void speedups_cache_fini(void);

/* _textutil.c */
PyObject *speedups_normalize_ws(PyObject *text);
const char *speedups_default_encoding(void);

/* Return a borrowed reference to the string ".", created on first use. */
static inline PyObject *
speedups_dot(void)
{
    static PyObject *dot = NULL;
    if (SPEEDUPS_UNLIKELY(dot == NULL)) {
        dot = PyUnicode_InternFromString(".");
    }
    return dot;
}

#endif /* SPEEDUPS_H */
