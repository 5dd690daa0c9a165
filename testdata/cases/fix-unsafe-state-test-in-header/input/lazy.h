/* The fill lives in a header of the unit; its caller tests the flag. */
#ifndef LAZY_H
#define LAZY_H

static PyObject *handlers = NULL;   /*~ OV101 handlers */

static inline int
load_handlers(void)
{
    if (handlers != NULL)
        return 0;
    handlers = PyDict_New();
    return handlers == NULL ? -1 : 0;
}

#endif
