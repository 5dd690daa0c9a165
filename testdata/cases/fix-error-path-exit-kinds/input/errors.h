/* The project's error macros, in a header: both leave by `goto`, one to
 * the label it is given. */
#ifndef ERRORS_H
#define ERRORS_H

#define RAISE_EXIT(msg) \
    do { PyErr_SetString(PyExc_ValueError, (msg)); goto exit; } while (0)
#define FAIL_TO(label) goto label

#endif
