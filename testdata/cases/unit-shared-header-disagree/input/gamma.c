/* This unit could rewrite common.h, but delta.c's unit cannot: the header
 * is shared, so it is not rewritten. */
#include "common.h"

PyObject *
gamma_sep(void)
{
    return common_default_sep();
}
