/* Tests: a borrowed pointer read from a struct member, however it reaches
 * the store: through a local pointer to the C-API struct, a helper of the
 * unit that returns the member (one and two deep), a conditional whose
 * other arm is NULL, a local that holds the member, an object-like macro
 * of the file, a cast of the capsule's pointer, a member of the module's
 * own object struct. Each owning slot takes its own reference
 * (`Py_XNewRef`) so that a destroyed interpreter releases only what it
 * took; `Py_NewRef` around the member already owns. */
#include <Python.h>
#include <datetime.h>

#define API_UTC (PyDateTimeAPI->TimeZone_UTC)

typedef struct {
    PyObject_HEAD
    PyObject *dict;
} Holder;

static PyObject *via_api = NULL;       /*~ OV101 via_api */
static PyObject *via_helper = NULL;    /*~ OV101 via_helper */
static PyObject *via_helper2 = NULL;   /*~ OV101 via_helper2 */
static PyObject *via_ternary = NULL;   /*~ OV101 via_ternary */
static PyObject *via_local = NULL;     /*~ OV101 via_local */
static PyObject *via_macro = NULL;     /*~ OV101 via_macro */
static PyObject *via_capsule = NULL;   /*~ OV101 via_capsule */
static PyObject *via_self = NULL;      /*~ OV101 via_self */
static PyObject *owned_member = NULL;  /*~ OV101 owned_member */

static PyObject *
utc_of(void)
{
    return PyDateTimeAPI->TimeZone_UTC;
}

static PyObject *
utc_again(void)
{
    return utc_of();
}

static PyObject *
get(PyObject *self, PyObject *args)
{
    PyDateTime_CAPI *api;
    PyObject *tmp;

    if (via_api == NULL) {
        PyDateTime_IMPORT;
        api = PyDateTimeAPI;
        if (api == NULL) {
            return NULL;
        }
        via_api = api->TimeZone_UTC;
    }
    if (via_helper == NULL) {
        via_helper = utc_of();
    }
    if (via_helper2 == NULL) {
        via_helper2 = utc_again();
    }
    if (via_ternary == NULL) {
        via_ternary = args != NULL ? PyDateTimeAPI->TimeZone_UTC : NULL;
    }
    if (via_local == NULL) {
        tmp = PyDateTimeAPI->TimeZone_UTC;
        via_local = tmp;
    }
    if (via_macro == NULL) {
        via_macro = API_UTC;
    }
    if (via_capsule == NULL) {
        void *capi = PyCapsule_Import("datetime.datetime_CAPI", 0);
        if (capi == NULL) {
            return NULL;
        }
        via_capsule = ((PyDateTime_CAPI *)capi)->TimeZone_UTC;
    }
    if (via_self == NULL) {
        via_self = ((Holder *)self)->dict;
    }
    if (owned_member == NULL) {
        owned_member = Py_NewRef(PyDateTimeAPI->TimeZone_UTC);
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"get", get, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyModuleDef_Slot slots[] = {
    {0, NULL}
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "member_forms", NULL, 0, methods, slots
};

PyMODINIT_FUNC
PyInit_member_forms(void)
{
    return PyModuleDef_Init(&def);
}
