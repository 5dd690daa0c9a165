/* Tests: per-operation state in other spellings: refused through a helper
 * of the file that raises, or a macro of the file that raises and
 * returns; the refusal in the `else` of the NULL test; `goto error` after
 * the exception; the operation ended by a function whose name starts like
 * a finaliser (`finish4`, not teardown), by Py_SETREF(v, NULL) in the same
 * function, through a local, or for raw memory. None is a cache: no site. */
#include <Python.h>
static PyObject *busy_error(void) { PyErr_SetString(PyExc_RuntimeError, "busy"); return NULL; }
#define REFUSE_BUSY() do { PyErr_SetString(PyExc_RuntimeError, "busy"); return NULL; } while (0)
static PyObject *op1 = NULL;
static PyObject *op2 = NULL;
static PyObject *op3 = NULL;
static PyObject *op4 = NULL;
static char *op5 = NULL;
static PyObject *op6 = NULL;
static PyObject *begin1(PyObject *s, PyObject *u)
{
    if (op1 != NULL)
        return busy_error();
    op1 = PyList_New(0);
    if (op1 == NULL) return NULL;
    Py_RETURN_NONE;
}
static PyObject *end1(PyObject *s, PyObject *u) { Py_CLEAR(op1); Py_RETURN_NONE; }
static PyObject *begin2(PyObject *s, PyObject *u)
{
    if (op2)
        REFUSE_BUSY();
    op2 = PyList_New(0);
    Py_RETURN_NONE;
}
static PyObject *end2(PyObject *s, PyObject *u) { PyObject *t = op2; op2 = NULL; Py_XDECREF(t); Py_RETURN_NONE; }
static PyObject *begin3(PyObject *s, PyObject *u)
{
    if (op3 == NULL) {
        op3 = PyList_New(0);
    } else {
        PyErr_SetString(PyExc_RuntimeError, "busy");
        return NULL;
    }
    Py_RETURN_NONE;
}
static PyObject *end3(PyObject *s, PyObject *u) { Py_XDECREF(op3); op3 = NULL; Py_RETURN_NONE; }
static PyObject *begin4(PyObject *s, PyObject *u)
{
    if (op4 != NULL) {
        PyErr_Format(PyExc_RuntimeError, "%s busy", "x");
        goto error;
    }
    op4 = PyList_New(0);
    Py_RETURN_NONE;
error:
    return NULL;
}
static PyObject *finish4(PyObject *s, PyObject *u) { Py_CLEAR(op4); Py_RETURN_NONE; }
static int begin5(void)
{
    if (op5 != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "busy");
        return -1;
    }
    op5 = PyMem_Malloc(10);
    return 0;
}
static void end5(void) { PyMem_Free(op5); op5 = NULL; }
static PyObject *begin6(PyObject *s, PyObject *u)
{
    if (op6 != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "busy");
        return NULL;
    }
    op6 = PyList_New(0);
    PyObject *r = PyObject_CallNoArgs(u);
    Py_SETREF(op6, NULL);
    return r;
}
