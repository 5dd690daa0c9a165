/* The exported functions of fills.c, as the other units see them, and
 * two macros of this header that name them: a whole method entry, and a
 * call. */
#include <Python.h>
PyObject *table_get(PyObject *self, PyObject *unused);
PyObject *slot_get(PyObject *self, PyObject *unused);
int step_errors(PyObject *m);
int exec_ext(PyObject *m);
PyObject *macro_get(PyObject *self, PyObject *unused);
int macro_errors(PyObject *m);
PyObject *proto_only(void);
__attribute__((visibility("hidden"))) PyObject *hidden_get(void);
#define MACRO_GET_METHODDEF {"macro_get", macro_get, METH_NOARGS, NULL},
#define ADD_MACRO_ERRORS(m) macro_errors(m)
