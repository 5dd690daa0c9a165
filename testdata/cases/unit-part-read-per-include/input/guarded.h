#ifndef GUARDED_H
#define GUARDED_H
/* Guarded, but the includer undefines the guard between its includes. */
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
static PyObject *GUARDED_NAME = NULL;   /*~ OV101 cache_x */ /*~ OV101 cache_y */

static PyObject *
CAT(get_, GUARDED_NAME)(void)
{
    if (GUARDED_NAME == NULL)
        GUARDED_NAME = PyUnicode_FromString("g");
    return GUARDED_NAME;
}
#undef CAT
#undef CAT2
#endif
