/* Tests (look-alike, no finding): a constant string table
 * `static const char *names[] = {...}` is an array initialised once by the
 * compiler; the `names[i] == NULL` checks are end-of-table sentinels. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static const char *weekday_names[] = {
    "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", NULL,
};

static const char *const month_abbrev[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", NULL,
};

static PyObject *
names_tuple(const char *const *table)
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; table[i] != NULL; i++) {
        PyObject *s = PyUnicode_FromString(table[i]);
        if (s == NULL || PyList_Append(list, s) < 0) {
            Py_XDECREF(s);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(s);
    }
    PyObject *t = PyList_AsTuple(list);
    Py_DECREF(list);
    return t;
}

static PyObject *
weekdays(PyObject *self, PyObject *unused)
{
    if (weekday_names[0] == NULL) {
        return PyTuple_New(0);
    }
    return names_tuple(weekday_names);
}
