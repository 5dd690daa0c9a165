/* Two modules include the same header: both rewrite it the same way. */
#include "common.h"

static PyObject *
alpha_args(void)
{
    return common_empty_tuple();
}
