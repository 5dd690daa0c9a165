/* A project header the unit inlines before the chain: the lines of a
 * message about main.c count main.c's lines, not the unit's. */
#ifndef PRELUDE_H
#define PRELUDE_H

#define TABLE_SIZE 2

static PyObject *prelude_name = NULL;   /*~ OV101 prelude_name */

static inline PyObject *
get_prelude_name(void)
{
    if (prelude_name == NULL)
        prelude_name = PyUnicode_InternFromString("prelude");
    return prelude_name;
}

#endif
