#ifndef PROJECT_H
#define PROJECT_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "shortcuts.h"
#endif
