/* The project's own spellings of releasing and taking the GIL. */
#ifndef GIL_H
#define GIL_H
#include <Python.h>

#define RELEASE Py_BEGIN_ALLOW_THREADS
#define ACQUIRE Py_END_ALLOW_THREADS
#define CALL_UNLOCKED(call) \
    do { PyThreadState *_st = PyEval_SaveThread(); call; PyEval_RestoreThread(_st); } while (0)
#define ENTER_PYTHON(g) ((g) = PyGILState_Ensure())
#define LEAVE_PYTHON(g) PyGILState_Release(g)

#endif
