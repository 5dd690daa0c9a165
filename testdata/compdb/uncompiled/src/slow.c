#include "fast.h"
int slow_unit = 1;
