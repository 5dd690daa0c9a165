/* Part of unit-brace-alias-in-header: the first link of an alias chain
 * (inc/gil.h defines BLOCKING_BEGIN as NOGIL_OPEN), and a pair of the
 * project's own whose bodies open and close a block. */
#ifndef NOGIL_H
#define NOGIL_H

#define NOGIL_OPEN Py_BEGIN_ALLOW_THREADS
#define NOGIL_CLOSE Py_END_ALLOW_THREADS

/* The project's own pair, braces in the bodies. */
#define SAVE_THREAD(name) { PyThreadState *name = PyEval_SaveThread();
#define RESTORE_THREAD(name) PyEval_RestoreThread(name); }

#endif
