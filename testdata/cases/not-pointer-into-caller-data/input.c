/* Tests: a raw static pointer that only remembers a pointer into its
 * caller's data (a parameter, an offset into it, an element's address),
 * as a debug trace does with the first buffer it sees, owns no memory:
 * nothing to free at finalisation, no site. Memory that the function
 * allocates, even through the parameter's name or a local, is still OV201. */
#include <Python.h>
#include <stdio.h>

static void
trace_offset(const unsigned char *p)
{
#if defined(MY_DEBUGLEVEL) && (MY_DEBUGLEVEL >= 6)
    static const unsigned char *first = NULL;
    if (first == NULL) first = p;
    fprintf(stderr, "offset %ld\n", (long)(p - first));
#else
    (void)p;
#endif
}

static const char *
remember_tail(const char *text, Py_ssize_t n)
{
    static const char *tail;
    static const char *third;
    if (!tail)
        tail = text + n;
    if (third == NULL)
        third = &text[2];
    return third ? tail : NULL;
}

static char *
scratch_from(char *p, size_t n)
{
    static char *scratch = NULL;   /*~ OV201 scratch */
    if (scratch == NULL) {
        p = PyMem_Malloc(n);
        scratch = p;
    }
    return scratch;
}

static char *
copy_of(const char *src)
{
    static char *copy = NULL;      /*~ OV201 copy */
    if (copy == NULL) {
        char *src2 = PyMem_Malloc(strlen(src) + 1);
        if (src2 != NULL)
            strcpy(src2, src);
        copy = src2;
    }
    return copy;
}
