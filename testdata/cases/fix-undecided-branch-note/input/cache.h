/* An include guard holds on the first inclusion: a site under it alone
 * gets no note; one under the header's own #ifdef does. */
#ifndef UNDECIDED_CACHE_H
#define UNDECIDED_CACHE_H

static PyObject *guarded = NULL;            /*~ OV101 guarded */

#ifdef USE_SEPARATOR
static PyObject *separator = NULL;          /*~ OV101 separator */
#endif

static PyObject *
header_value(void)
{
#ifdef USE_SEPARATOR
    if (separator == NULL) {
        separator = PyUnicode_FromString("/");
    }
#endif
    if (guarded == NULL) {
        guarded = PyUnicode_FromString("guarded");
    }
    return guarded;
}

#endif /* UNDECIDED_CACHE_H */
