/* A unit that rewrites common.h plainly (its module claims nothing). */
#include "common.h"

PyObject *
b_json(void)
{
    return load_json();
}
