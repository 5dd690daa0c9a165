/* What the two files of the extension share. */
#include <Python.h>

extern PyTypeObject Frame_Type;
extern PyObject *frame_registry;
PyObject *create_module(void);
int frames_init(PyObject *m);
