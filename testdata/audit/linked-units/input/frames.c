/* The rest of the extension: state with external linkage, and the
 * single-phase creation, in a unit of its own. */
#include "common.h"

PyTypeObject Frame_Type = { /*~ OV502 Frame_Type */
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "frames.Frame",
};

PyObject *frame_registry; /*~ OV503 frame_registry */

static struct PyModuleDef frames_module = {
    PyModuleDef_HEAD_INIT, "frames", NULL, -1, NULL,
};

PyObject *
create_module(void)
{
    return PyModule_Create(&frames_module); /*~ OV501 frames */
}

int
frames_init(PyObject *m)
{
    frame_registry = PyDict_New();
    if (PyType_Ready(&Frame_Type) < 0) {
        return -1;
    }
    return PyModule_AddObjectRef(m, "Frame", (PyObject *)&Frame_Type);
}
