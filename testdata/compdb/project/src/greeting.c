/* Compiles only with the database's -Iinclude; its fix is verified. */
#include <Python.h>
#include "names.h"

static PyObject *greeting = NULL; /*~ OV101 greeting */

static PyObject *get_greeting(void)
{
    if (greeting == NULL) {
        greeting = PyUnicode_FromString(GREETING_TEXT);
    }
    return greeting;
}
