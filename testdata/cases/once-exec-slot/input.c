/* Tests: multi-phase init.  The static is assigned unconditionally in the
 * module's Py_mod_exec function (module init), with only an error check
 * after it -> OV301.  Running the exec slot again (a second interpreter,
 * or a re-import) silently overwrites it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyTypeObject *NodeType;   /*~ OV301 NodeType */

static PyType_Slot node_slots[] = {
    {0, NULL},
};

static PyType_Spec node_spec = {
    .name = "tree.Node",
    .basicsize = sizeof(PyObject),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = node_slots,
};

static int
tree_exec(PyObject *module)
{
    NodeType = (PyTypeObject *)PyType_FromModuleAndSpec(module, &node_spec, NULL);
    if (NodeType == NULL) {
        return -1;
    }
    return PyModule_AddType(module, NodeType);
}

static PyModuleDef_Slot tree_slots[] = {
    {Py_mod_exec, tree_exec},
    {0, NULL},
};

static struct PyModuleDef treemodule = {
    PyModuleDef_HEAD_INIT,
    .m_name = "tree",
    .m_size = 0,
    .m_slots = tree_slots,
};

PyMODINIT_FUNC
PyInit_tree(void)
{
    return PyModuleDef_Init(&treemodule);
}
