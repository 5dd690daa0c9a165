/* A fill helper of a project header: it writes the elements of the
 * array it is given. */
#include <Python.h>

static inline int
fill_table(PyObject **out, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        out[i] = PyLong_FromLong(i * 10);
        if (out[i] == NULL)
            return -1;
    }
    return 0;
}

#define FILL_TABLE(t) fill_table((t), (int)(sizeof(t) / sizeof((t)[0])))
