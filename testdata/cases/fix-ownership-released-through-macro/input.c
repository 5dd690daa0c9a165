/* Tests: a local released on the way to the store through a macro of the
 * unit (`#define DROP(o) Py_DECREF(o)`, also in `do { } while (0)`) or
 * in a bare block `{ Py_DECREF(u); }` leaves the static no reference of
 * its own, as a plain `Py_DECREF(u);` does: the key takes one
 * (Py_XNewRef). Before, the store was read as owned and the slot released
 * at exit a reference never taken. Control: a release in an `if` block is
 * no release on the way, through the macro too (the store owns). */
#include <Python.h>
#define DROP(o) Py_DECREF(o)
#define XDROP(o) do { Py_XDECREF(o); } while (0)

static PyObject *viamacro = NULL;       /*~ OV101 viamacro */
static PyObject *viadowhile = NULL;     /*~ OV101 viadowhile */
static PyObject *viacast = NULL;        /*~ OV101 viacast */
static PyObject *viablock = NULL;       /*~ OV101 viablock */
static PyObject *onerror = NULL;        /*~ OV101 onerror */

static PyObject *
get_viamacro(PyObject *self, PyObject *tz)
{
    if (viamacro == NULL) {
        PyObject *u = PyObject_GetAttrString(tz, "utc");
        if (u == NULL)
            return NULL;
        DROP(u);
        viamacro = u;
    }
    return Py_NewRef(viamacro);
}

static PyObject *
get_viadowhile(PyObject *self, PyObject *tz)
{
    if (viadowhile == NULL) {
        PyObject *u = PyObject_GetAttrString(tz, "utc");
        XDROP(u);
        if (u == NULL)
            return NULL;
        viadowhile = u;
    }
    return Py_NewRef(viadowhile);
}

static PyObject *
get_viacast(PyObject *self, PyObject *tz)
{
    if (viacast == NULL) {
        PyObject *u = PyObject_GetAttrString(tz, "utc");
        if (u == NULL)
            return NULL;
        Py_DECREF((PyObject *)u);
        viacast = (PyObject *)u;
    }
    return Py_NewRef(viacast);
}

static PyObject *
get_viablock(PyObject *self, PyObject *tz)
{
    if (viablock == NULL) {
        PyObject *u = PyObject_GetAttrString(tz, "utc");
        if (u == NULL)
            return NULL;
        {
            Py_DECREF(u);
        }
        viablock = u;
    }
    return Py_NewRef(viablock);
}

static PyObject *
get_onerror(PyObject *self, PyObject *tz)
{
    if (onerror == NULL) {
        PyObject *u = PyObject_GetAttrString(tz, "utc");
        if (u == NULL)
            return NULL;
        if (PyObject_SetAttrString(tz, "seen", Py_True) < 0) {
            DROP(u);
            return NULL;
        }
        onerror = u;
    }
    return Py_NewRef(onerror);
}

static PyMethodDef methods[] = {
    {"a", get_viamacro, METH_O, NULL},
    {"b", get_viadowhile, METH_O, NULL},
    {"c", get_viacast, METH_O, NULL},
    {"d", get_viablock, METH_O, NULL},
    {"e", get_onerror, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "m", NULL, -1, methods};
PyMODINIT_FUNC PyInit_m(void) { return PyModule_Create(&mod); }
