/* The fill, two units away from the single-phase init that reaches it. */
#include "errors.h"

static PyObject *BadThing;  /*~ OV101 BadThing */

PyObject *
make_error_class(void)
{
    if (BadThing == NULL) {
        BadThing = PyErr_NewException("single.BadThing", NULL, NULL);
    }
    return BadThing;
}

PyObject *
raise_bad(void)
{
    PyErr_SetString(make_error_class(), "bad");
    return NULL;
}
