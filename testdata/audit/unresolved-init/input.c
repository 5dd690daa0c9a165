/* The init returns what a function of another file builds, and that file
 * is not scanned: how the module is created is unknown, and an unknown is
 * never taken for a yes. */
#include <Python.h>

extern PyObject *build_module(void);

PyMODINIT_FUNC
PyInit_elsewhere(void) /*~ module elsewhere unknown pig=blocked ft=blocked */ /*~ OV505 elsewhere */
{
    return build_module();
}
/*~ blocks elsewhere OV505 elsewhere both */
