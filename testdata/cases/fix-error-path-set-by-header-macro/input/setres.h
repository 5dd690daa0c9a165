/* Setting macros of a project header, CRLF, continued over lines. */
#ifndef SETRES_H
#define SETRES_H
#define RESULT_FAIL(r) do { \
        Py_XDECREF(r); \
        (r) = NULL; \
    } while (0)
#define RESULT_TAKE(r, v) do { \
        PyObject *_old = (r); \
        (r) = (v); \
        Py_XDECREF(_old); \
    } while (0)
#define RESULT_NOTE(r, v) \
    RESULT_TAKE(r, v)
#endif
