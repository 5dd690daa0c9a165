/* The fill of the macro-named helper. */
#include "ns.h"

static PyObject *NsError;  /*~ OV101 NsError */

int
NS(add_errors)(PyObject *m)
{
    if (NsError == NULL) {
        NsError = PyErr_NewException("nsmod.NsError", NULL, NULL);
        if (NsError == NULL)
            return -1;
    }
    return PyModule_AddObjectRef(m, "NsError", NsError);
}
