/* Statics a multi-phase module sets once in its exec slot (or in helpers
 * that only exec reaches) and reads in its methods and type slots: the
 * audit fixes each into a per-interpreter slot that every interpreter's
 * exec fills, so one interpreter's m_free no longer empties another's.
 * backports.zoneinfo's shape (three statics set in a setup helper, released
 * in m_free with Py_XDECREF then NULL and with Py_CLEAR), a heap type from
 * PyType_FromSpec, an exception created in exec and given to the module,
 * and an imported module's attribute. */
#include <Python.h>

static PyObject *TIMEDELTA_CACHE;       /*~ OV301 TIMEDELTA_CACHE fix=safe */
static PyObject *ZONEINFO_WEAK_CACHE;   /*~ OV301 ZONEINFO_WEAK_CACHE fix=safe */
static PyObject *_common_mod;           /*~ OV301 _common_mod fix=safe */
static PyTypeObject *ZoneInfoType;      /*~ OV301 ZoneInfoType fix=safe */
static PyObject *ZoneInfoError;         /*~ OV301 ZoneInfoError fix=safe */
static PyObject *find_tzfile;           /*~ OV301 find_tzfile fix=safe */

typedef struct {
    PyObject_HEAD
    PyObject *key;
} zoneinfo;

static PyObject *
zoneinfo_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyObject *key = PyDict_GetItemWithError(ZONEINFO_WEAK_CACHE, args);
    if (key == NULL && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *path = PyObject_CallOneArg(find_tzfile, args);
    if (path == NULL) {
        return NULL;
    }
    Py_DECREF(path);
    return type->tp_alloc(type, 0);
}

static PyType_Slot zoneinfo_slots[] = {
    {Py_tp_new, zoneinfo_new},
    {0, NULL},
};

static PyType_Spec zoneinfo_spec = {
    "zoneinfo.ZoneInfo", sizeof(zoneinfo), 0, Py_TPFLAGS_DEFAULT, zoneinfo_slots,
};

static PyObject *
load_tzdata(PyObject *self, PyObject *key)
{
    if (PyDict_Size(TIMEDELTA_CACHE) > 100) {
        PyErr_SetString(ZoneInfoError, "too many");
        return NULL;
    }
    return PyObject_CallMethod(_common_mod, "load_tzdata", "O", key);
}

static PyObject *
zone_type(PyObject *self, PyObject *unused)
{
    return Py_NewRef((PyObject *)ZoneInfoType);
}

static int
initialize_caches(void)
{
    TIMEDELTA_CACHE = PyDict_New();
    if (TIMEDELTA_CACHE == NULL) {
        return -1;
    }
    ZONEINFO_WEAK_CACHE = PyDict_New();
    if (ZONEINFO_WEAK_CACHE == NULL) {
        return -1;
    }
    return 0;
}

static int
zoneinfomodule_exec(PyObject *m)
{
    _common_mod = PyImport_ImportModule("zoneinfo._common");
    if (_common_mod == NULL) {
        return -1;
    }
    PyObject *tzpath = PyImport_ImportModule("zoneinfo._tzpath");
    if (tzpath == NULL) {
        return -1;
    }
    find_tzfile = PyObject_GetAttrString(tzpath, "find_tzfile");
    Py_DECREF(tzpath);
    if (find_tzfile == NULL) {
        return -1;
    }
    ZoneInfoType = (PyTypeObject *)PyType_FromSpec(&zoneinfo_spec);
    if (ZoneInfoType == NULL) {
        return -1;
    }
    if (PyModule_AddObjectRef(m, "ZoneInfo", (PyObject *)ZoneInfoType) < 0) {
        return -1;
    }
    ZoneInfoError = PyErr_NewException("zoneinfo.ZoneInfoNotFoundError", NULL, NULL);
    if (PyModule_AddObjectRef(m, "ZoneInfoNotFoundError", ZoneInfoError) < 0) {
        return -1;
    }
    return initialize_caches();
}

static void
module_free(void *m)
{
    Py_XDECREF(TIMEDELTA_CACHE);
    TIMEDELTA_CACHE = NULL;
    Py_XDECREF(ZONEINFO_WEAK_CACHE);
    ZONEINFO_WEAK_CACHE = NULL;
    Py_CLEAR(_common_mod);
    Py_CLEAR(find_tzfile);
    Py_CLEAR(ZoneInfoType);
    Py_CLEAR(ZoneInfoError);
}

static PyMethodDef module_methods[] = {
    {"load_tzdata", load_tzdata, METH_O, NULL},
    {"zone_type", zone_type, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot zoneinfomodule_slots[] = {
    {Py_mod_exec, zoneinfomodule_exec},
    {0, NULL},
};

static struct PyModuleDef zoneinfomodule = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_czoneinfo",
    .m_methods = module_methods,
    .m_slots = zoneinfomodule_slots,
    .m_free = module_free,
};

PyMODINIT_FUNC
PyInit__czoneinfo(void) /*~ module _czoneinfo multi-phase pig=blocked ft=ok after-fix=ok */
{
    return PyModuleDef_Init(&zoneinfomodule);
}
