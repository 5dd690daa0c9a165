#ifndef MARKED_H
#define MARKED_H

static inline PyObject *
marked_for(long which)
{
    static PyObject *kw_mark;   /*~ OV101 kw_mark */

    if (kw_mark == NULL && (kw_mark = PyUnicode_InternFromString("mark")) == NULL)
        return NULL;
    return Py_NewRef(kw_mark);
}
#endif
