/* Static type objects: named before their body (a tentative declaration)
 * and defined later, readied and added in exec; a second one with external
 * linkage that only another unit may use; a third never used (dead code,
 * not reported); a pointer to a type is no type object. */
#include <Python.h>

static PyTypeObject Node_Type;

typedef struct {
    PyObject_HEAD
    PyObject *next;
} node;

static PyObject *
node_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    return type->tp_alloc(type, 0);
}

static PyTypeObject Node_Type = { /*~ OV502 Node_Type */
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "trees.Node",
    .tp_basicsize = sizeof(node),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = node_new,
};

PyTypeObject Leaf_Type = { /*~ OV502 Leaf_Type */
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "trees.Leaf",
};

static PyTypeObject Unused_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "trees.Unused",
};

static PyTypeObject *node_type_alias;

static int
trees_exec(PyObject *m)
{
    if (PyType_Ready(&Node_Type) < 0) {
        return -1;
    }
    return PyModule_AddObjectRef(m, "Node", (PyObject *)&Node_Type);
}

static PyModuleDef_Slot trees_slots[] = {
    {Py_mod_exec, trees_exec},
    {0, NULL},
};

static struct PyModuleDef trees_module = {
    PyModuleDef_HEAD_INIT, "trees", NULL, 0, NULL, trees_slots,
};

PyMODINIT_FUNC
PyInit_trees(void) /*~ module trees multi-phase pig=blocked ft=ok */
{
    return PyModuleDef_Init(&trees_module);
}
/*~ blocks trees OV502 Node_Type pig */
/*~ blocks trees OV502 Leaf_Type pig */
