/* An exported function between mod.c and cache.c. */
#include <Python.h>

extern PyObject *get_hop(void);

PyObject *
bridge_hop(void)
{
    return get_hop();
}
