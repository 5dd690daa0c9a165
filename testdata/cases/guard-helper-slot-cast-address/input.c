/* Tests: a slot helper given the static's address through a cast or more
 * than one pair of parentheses fills it as fetch(&v) does: a static type
 * pointer passed as (PyObject **)&DateType (cx_Oracle's and pymssql's
 * shape), the cast with parentheses and blanks, (PyObject **) &(ZoneType),
 * two levels of parentheses, &((cache)), and a cast to void * for a helper
 * that takes any pointer. Each was no site before. */
#include <Python.h>

static int
import_attr(const char *mod, const char *name, PyObject **out)
{
    PyObject *m, *v;
    if (NULL != *out)
        return 0;
    m = PyImport_ImportModule(mod);
    if (m == NULL)
        return -1;
    v = PyObject_GetAttrString(m, name);
    Py_DECREF(m);
    if (v == NULL)
        return -1;
    *out = v;
    return 0;
}

static int
ensure_list(PyObject **slot)
{
    if (*slot == NULL)
        *slot = PyList_New(0);
    return *slot == NULL ? -1 : 0;
}

static int
ensure_any(void *slot)
{
    PyObject **p = (PyObject **)slot;
    if (*p == NULL)
        *p = PyDict_New();
    return *p == NULL ? -1 : 0;
}

static PyTypeObject *DateType;            /*~ OV101 DateType */
static PyTypeObject *ZoneType = NULL;     /*~ OV101 ZoneType */
static PyObject *cache = NULL;            /*~ OV101 cache */
static PyObject *table = NULL;            /*~ OV101 table */

static PyObject *
is_date(PyObject *self, PyObject *obj)
{
    if (import_attr("datetime", "date", (PyObject **)&DateType) < 0)
        return NULL;
    return PyBool_FromLong(PyObject_TypeCheck(obj, DateType));
}

static PyObject *
zone(PyObject *self, PyObject *unused)
{
    if (import_attr("zoneinfo", "ZoneInfo", (PyObject **) &(ZoneType)) < 0)
        return NULL;
    return Py_NewRef((PyObject *)ZoneType);
}

static PyObject *
get_cache(PyObject *self, PyObject *unused)
{
    if (ensure_list(&((cache))) < 0)
        return NULL;
    return Py_NewRef(cache);
}

static PyObject *
get_table(PyObject *self, PyObject *unused)
{
    if (ensure_any((void *)&table) < 0)
        return NULL;
    return Py_NewRef(table);
}
