#ifndef KEYWORDS_H
#define KEYWORDS_H

static inline PyObject *
keyword_for(long which)
{
    static PyObject *kw_none;   /*~ OV101 kw_none */

    if (kw_none == NULL && (kw_none = PyUnicode_InternFromString("None")) == NULL)
        return NULL;
    return Py_NewRef(kw_none);
}
#endif
