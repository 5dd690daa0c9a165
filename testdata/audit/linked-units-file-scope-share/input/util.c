/* A helper unit linked into three modules. Its file-scope statics are
 * written only by stats_record (a counter, a buffer, an object replaced
 * through Py_XSETREF, one declared with an initialiser); util_version
 * touches none of them. Each module takes the blockers of the functions it
 * calls: the declarations themselves are no uses (they were, outside any
 * function, so every export carried every static's blocker). */
#include <Python.h>
#include "util.h"

static long records = 0;            /*~ OV402 records */
static char last_note[32];          /*~ OV402 last_note */
static PyObject *last_count;        /*~ OV402 last_count */

long
stats_record(void)
{
    snprintf(last_note, sizeof last_note, "%ld", records);
    Py_XSETREF(last_count, PyLong_FromLong(records));
    return ++records;
}

long
stats_twice(void)
{
    stats_record();
    return stats_record();
}

const char *
util_version(void)
{
    return "1.0";
}
