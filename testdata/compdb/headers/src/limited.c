/* Built with -DPy_LIMITED_API: nothing of its own to fix, but the shared
 * header's fix would break it. */
#include "shared.h"

static PyObject *get_limited(void)
{
    return get_shared_names();
}
