/* Tests: the drop, or the return after it, stands in the branches of an
 * #if chain inside the error block. Each build compiles one branch, so
 * each branch that some Python 3 build compiles is read as the path on
 * its own: a drop in a branch goes on to that branch's return, and a
 * chain after the drop must leave the same way in every such branch.
 * Before, the branches were read as a block that may not be entered: the
 * walk went past the chain to the function's success return, and every
 * key borrowed (the realworld leak kept). */
#include <Python.h>

static PyObject *in_branches = NULL;   /*~ OV101 in_branches */
static PyObject *through = NULL;       /*~ OV101 through */
static PyObject *in_elif = NULL;       /*~ OV101 in_elif */
static PyObject *python2_else = NULL;  /*~ OV101 python2_else */
static PyObject *nested = NULL;        /*~ OV101 nested */
static PyObject *one_build = NULL;     /*~ OV101 one_build */
static PyObject *labelled = NULL;      /*~ OV101 labelled */

static PyObject *
drop_in_branches(PyObject *self, PyObject *arg)
{
    if (in_branches == NULL) {
        in_branches = PyUnicode_FromString("a");
        if (in_branches == NULL)
            return NULL;
        if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
#if PY_VERSION_HEX >= 0x030C0000
            Py_DECREF(in_branches);
            return NULL;
#else
            Py_DECREF(in_branches);
            return NULL;
#endif
        }
    }
    return PyTuple_Pack(2, in_branches, arg);
}

static PyObject *
return_through_branches(PyObject *self, PyObject *arg)
{
    if (through == NULL) {
        through = PyUnicode_FromString("b");
        if (through == NULL)
            return NULL;
        if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
            Py_DECREF(through);
#ifdef Py_DEBUG
            fprintf(stderr, "warning failed\n");
            return NULL;
#else
            return NULL;
#endif
        }
    }
    return PyUnicode_Join(through, arg);
}

static PyObject *
drop_in_elif(PyObject *self, PyObject *arg)
{
    if (in_elif == NULL) {
        in_elif = PyUnicode_FromString("c");
        if (in_elif == NULL)
            return NULL;
        if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
#if PY_VERSION_HEX >= 0x030D0000
            Py_DECREF(in_elif);
            return NULL;
#elif PY_VERSION_HEX >= 0x030A0000
            Py_DECREF(in_elif);
            PyErr_SetString(PyExc_RuntimeError, "3.10 to 3.12");
            return NULL;
#else
            Py_DECREF(in_elif);
            return NULL;
#endif
        }
    }
    return PyTuple_Pack(2, in_elif, arg);
}

/* The #else no Python 3 build compiles is no path. */
static PyObject *
python2_branch(PyObject *self, PyObject *arg)
{
    if (python2_else == NULL) {
        python2_else = PyUnicode_FromString("d");
        if (python2_else == NULL)
            return NULL;
        if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
            Py_DECREF(python2_else);
#if PY_MAJOR_VERSION >= 3
            return NULL;
#else
            Py_RETURN_NONE;
#endif
        }
    }
    return PyTuple_Pack(2, python2_else, arg);
}

static PyObject *
nested_chains(PyObject *self, PyObject *arg)
{
    if (nested == NULL) {
        nested = PyUnicode_FromString("e");
        if (nested == NULL)
            return NULL;
        if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
#ifdef Py_DEBUG
#  if PY_VERSION_HEX >= 0x030C0000
            Py_DECREF(nested);
            return NULL;
#  else
            Py_DECREF(nested);
            goto error;
#  endif
#else
            Py_DECREF(nested);
            goto error;
#endif
        }
    }
    return PyTuple_Pack(2, nested, arg);
error:
    return NULL;
}

/* Only the debug build leaves after the drop; the others go on to the
 * success return: the builds disagree, not known. */
static PyObject *
one_build_leaves(PyObject *self, PyObject *arg)
{
    if (one_build == NULL) {
        one_build = PyUnicode_FromString("f");
        if (one_build == NULL)
            return NULL;
        if (PyObject_Length(arg) < 0) {
            Py_DECREF(one_build);
#ifdef Py_DEBUG
            return NULL;
#endif
        }
    }
    return PyTuple_Pack(2, one_build, arg);
}

/* Control: a chain that never leaves, at the error label. */
static PyObject *
chain_at_label(PyObject *self, PyObject *arg)
{
    if (labelled == NULL) {
        labelled = PyUnicode_FromString("g");
        if (labelled == NULL)
            return NULL;
        if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
            Py_DECREF(labelled);
            goto error;
        }
    }
    return PyTuple_Pack(2, labelled, arg);
error:
    (void)self;
#ifdef Py_DEBUG
    fprintf(stderr, "failed\n");
#endif
    return NULL;
}

static PyMethodDef methods[] = {
    {"drop_in_branches", drop_in_branches, METH_O, NULL},
    {"return_through_branches", return_through_branches, METH_O, NULL},
    {"drop_in_elif", drop_in_elif, METH_O, NULL},
    {"python2_branch", python2_branch, METH_O, NULL},
    {"nested_chains", nested_chains, METH_O, NULL},
    {"one_build_leaves", one_build_leaves, METH_O, NULL},
    {"chain_at_label", chain_at_label, METH_O, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "ifbranches", NULL, 0, methods};
PyMODINIT_FUNC PyInit_ifbranches(void) { return PyModuleDef_Init(&def); }
