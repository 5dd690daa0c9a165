/* Part of unit-brace-alias-in-header: the project's names for releasing
 * the GIL, in a header that holds only macros: plain aliases, a
 * function-like alias taking no arguments, and an alias of one of them
 * (the chain's end is in inc/nogil.h, which this header includes). */
#ifndef GIL_H
#define GIL_H

#include "nogil.h"

#define ENTER Py_BEGIN_ALLOW_THREADS
#define LEAVE Py_END_ALLOW_THREADS
#define RELEASE_GIL() Py_BEGIN_ALLOW_THREADS
#define ACQUIRE_GIL() Py_END_ALLOW_THREADS
#define BLOCKING_BEGIN NOGIL_OPEN
#define BLOCKING_END NOGIL_CLOSE

#endif
