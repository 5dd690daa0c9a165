/* The extension's error macros, CRLF, each read as the preprocessor
 * expands it: two levels with a stringized argument, an object-like chain
 * to a goto, a comment inside a continued body, a variadic logger. */
#ifndef EXP_ERRS_H
#define EXP_ERRS_H
#include <stdio.h>

#define RAISE_RET(exc, msg, ret) do { PyErr_SetString((exc), msg " (" #exc ")"); return ret; } while (0)
#define RAISE_NULL(msg) RAISE_RET(PyExc_RuntimeError, msg, NULL)
#define RAISE_INT(msg) RAISE_RET(PyExc_ValueError, msg, ERR_RC)
#define ERR_RC (-1)

#define GO_ERROR goto_error_label
#define goto_error_label goto error

#define FAIL_NULL() do { \
        /* the caller has set the error; if it has not, SystemError */ \
        return NULL; \
    } while (0)

#define FAILV(...) do { fprintf(stderr, __VA_ARGS__); return (PyObject *)NULL; } while (0)
#endif
