#include <Python.h>
#include "fast.h"
int fast_unit = 1;
