#include <Python.h>
void sub_fetch(PyObject **slot);
