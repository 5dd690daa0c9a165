/* One level between the init and the fill: an exported function that no
 * root of this unit reaches. */
#include "errors.h"

int
errors_init(PyObject *m)
{
    PyObject *cls = make_error_class();
    if (cls == NULL)
        return -1;
    return PyModule_AddObjectRef(m, "BadThing", cls);
}
