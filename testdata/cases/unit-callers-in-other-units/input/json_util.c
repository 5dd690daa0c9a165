/* Control: get_json() is exported and no root of this unit reaches it,
 * but the only unit that calls it is a multi-phase module's method
 * (multi.c): the fix stays safe. Its static helper, which only this unit
 * calls, stays safe too. */
#include "json_util.h"

static PyObject *json_mod = NULL;  /*~ OV101 json_mod */
static PyObject *dumps_name = NULL;  /*~ OV101 dumps_name */

static PyObject *
get_dumps_name(void)
{
    if (dumps_name == NULL)
        dumps_name = PyUnicode_InternFromString("dumps");
    return dumps_name;
}

PyObject *
get_json(void)
{
    if (json_mod == NULL)
        json_mod = PyImport_ImportModule("json");
    if (json_mod != NULL && get_dumps_name() == NULL)
        return NULL;
    return json_mod;
}
