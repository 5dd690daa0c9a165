/* A template part: module.c includes it once per NAME. */
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

/* At file scope: each inclusion declares it again (a tentative
 * definition, so the two are one static). */
static PyObject *shared;                        /*~ OV101 shared */

static PyObject *
CAT(get_, NAME)(void)
{
    /* At block scope: one static per function the part defines. */
    static PyObject *cache = NULL;              /*~ OV101 cache */
    if (cache == NULL) {
        cache = PyUnicode_InternFromString(CAT(NAME, _text));
    }
    if (shared == NULL) {
        shared = PyUnicode_InternFromString("shared");
    }
    return cache;
}
#undef CAT
#undef CAT2
