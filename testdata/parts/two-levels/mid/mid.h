/* Includes the part; included by top.c. */
#include "part.h"
