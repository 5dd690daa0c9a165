/* An object pointer typedef, in a header of its own. */
#ifndef OBJ_H
#define OBJ_H
#include <Python.h>
typedef PyObject *obj_t;
#endif
