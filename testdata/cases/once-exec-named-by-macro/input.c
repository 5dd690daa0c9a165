/* Tests: a multi-phase module whose exec function's name a macro pastes
 * (`#define BODY(m) m##_body`, no word in it that hints at init), both
 * where the function is defined (`static int BODY(geo)(PyObject
 * *module)`) and in the slot table, through a second macro
 * (`{Py_mod_exec, (void *)MAKE_BODY(geo)}`). The statics set there
 * unconditionally are set at module init (OV301); one set in a method is
 * not a site. */
#include <Python.h>

#define BODY(m) m##_body
#define MAKE_BODY(m) BODY(m)

static PyObject *origin;                /*~ OV301 origin */
static PyTypeObject *PointType;         /*~ OV301 PointType */
static PyObject *last_seen;

static PyObject *
remember(PyObject *self, PyObject *arg)
{
    Py_XSETREF(last_seen, Py_NewRef(arg));
    Py_RETURN_NONE;
}

static PyType_Slot point_slots[] = {
    {0, NULL},
};

static PyType_Spec point_spec = {
    .name = "geo.Point",
    .basicsize = sizeof(PyObject),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = point_slots,
};

static int
BODY(geo)(PyObject *module)
{
    PointType = (PyTypeObject *)PyType_FromModuleAndSpec(module, &point_spec, NULL);
    if (PointType == NULL) {
        return -1;
    }
    origin = Py_BuildValue("(dd)", 0.0, 0.0);
    if (origin == NULL) {
        return -1;
    }
    return PyModule_AddType(module, PointType);
}

static PyMethodDef geo_methods[] = {
    {"remember", remember, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot geo_slots[] = {
    {Py_mod_exec, (void *)MAKE_BODY(geo)},
    {0, NULL},
};

static struct PyModuleDef geo_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "geo",
    .m_size = 0,
    .m_methods = geo_methods,
    .m_slots = geo_slots,
};

PyMODINIT_FUNC
PyInit_geo(void)
{
    return PyModuleDef_Init(&geo_def);
}
