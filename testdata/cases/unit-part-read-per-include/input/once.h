#ifndef ONCE_H
#define ONCE_H
/* Included twice, read once: its guard holds. */
static PyObject *once_cache = NULL;     /*~ OV101 once_cache */

static PyObject *
get_once(void)
{
    if (once_cache == NULL)
        once_cache = PyUnicode_FromString("once");
    return once_cache;
}
#endif
