/* Tests: whether a `Py_DECREF` of a lazy static's new reference gives it
 * away is read from what the function returns after it, not from the
 * label's name. Error exits (the key stays owning): Argument Clinic's
 * `goto exit` with `return_value` still NULL, `goto done` past a cleanup,
 * `goto finally` to `return rc` in an int function with rc still -1,
 * `goto cleanup` inside `if (res == NULL)`, `return PyErr_NoMemory()`,
 * `return PyErr_Format(...)`, a helper of the unit that always returns
 * NULL, a macro of a header that jumps to `exit`, one given the label,
 * `return -1` from an exec function. Success paths (the key borrows): a
 * label shared with the success path after `res` is set, `return 0` from
 * an exec function; a success branch before that sets `res` and leaves
 * does not reach the drop (owning). Unknown (unsafe, with the reason): a
 * call neither in CPython's data nor in the unit, `res` set under a
 * condition that does not leave before the drop. */
#include <Python.h>
#include "errors.h"

static PyObject *clinic_key = NULL;     /*~ OV101 clinic_key */
static PyObject *done_key = NULL;       /*~ OV101 done_key */
static PyObject *finally_key = NULL;    /*~ OV101 finally_key */
static PyObject *tested_key = NULL;     /*~ OV101 tested_key */
static PyObject *nomem_key = NULL;      /*~ OV101 nomem_key */
static PyObject *format_key = NULL;     /*~ OV101 format_key */
static PyObject *helper_key = NULL;     /*~ OV101 helper_key */
static PyObject *macro_key = NULL;      /*~ OV101 macro_key */
static PyObject *label_key = NULL;      /*~ OV101 label_key */
static PyObject *shared_key = NULL;     /*~ OV101 shared_key */
static PyObject *unknown_key = NULL;    /*~ OV101 unknown_key */
static PyObject *branch_key = NULL;     /*~ OV101 branch_key */
static PyObject *maybe_key = NULL;      /*~ OV101 maybe_key */
static PyObject *exec_error = NULL;     /*~ OV101 exec_error */
static PyObject *exec_given = NULL;     /*~ OV101 exec_given */

extern PyObject *external_error(PyObject *arg);

static PyObject *
clinic_style(PyObject *module, PyObject *arg)
{
    PyObject *return_value = NULL;

    if (clinic_key == NULL) {
        clinic_key = PyUnicode_InternFromString("clinic");
        if (clinic_key == NULL) {
            goto exit;
        }
        if (PyObject_Length(arg) < 0) {
            Py_DECREF(clinic_key);
            goto exit;
        }
    }
    return_value = PyTuple_Pack(2, clinic_key, arg);

exit:
    return return_value;
}

static PyObject *
done_style(PyObject *module, PyObject *arg)
{
    PyObject *res = NULL;
    PyObject *tmp = PyObject_Str(arg);

    if (tmp == NULL) {
        goto done;
    }
    if (done_key == NULL) {
        done_key = PyUnicode_FromString("done");
        if (done_key == NULL) {
            goto done;
        }
        if (PyUnicode_GetLength(tmp) == 0) {
            Py_DECREF(done_key);
            goto done;
        }
    }
    res = PyTuple_Pack(2, done_key, tmp);
done:
    Py_XDECREF(tmp);
    return res;
}

static int
finally_style(PyObject *arg)
{
    int rc = -1;

    if (finally_key == NULL) {
        finally_key = PyUnicode_FromString("finally");
        if (finally_key == NULL) {
            goto finally;
        }
        if (PyObject_SetAttr(arg, finally_key, Py_None) < 0) {
            Py_DECREF(finally_key);
            goto finally;
        }
    }
    rc = 0;
finally:
    return rc;
}

static PyObject *
tested_style(PyObject *module, PyObject *arg)
{
    PyObject *res;

    if (tested_key == NULL) {
        tested_key = PyUnicode_FromString("tested");
        if (tested_key == NULL) {
            return NULL;
        }
    }
    res = PyObject_GetItem(arg, tested_key);
    if (res == NULL) {
        Py_DECREF(tested_key);
        goto cleanup;
    }
    Py_INCREF(res);
    Py_DECREF(res);
cleanup:
    return res;
}

static PyObject *
nomem_style(PyObject *module, PyObject *arg)
{
    if (nomem_key == NULL) {
        nomem_key = PyUnicode_FromString("nomem");
        if (nomem_key == NULL) {
            return NULL;
        }
        if (PyObject_Length(arg) > 100) {
            Py_DECREF(nomem_key);
            return PyErr_NoMemory();
        }
    }
    return Py_NewRef(nomem_key);
}

static PyObject *
format_style(PyObject *module, PyObject *arg)
{
    if (format_key == NULL) {
        format_key = PyUnicode_FromString("format");
        if (format_key == NULL) {
            return NULL;
        }
        if (PyObject_Length(arg) > 100) {
            Py_DECREF(format_key);
            return (PyObject *)PyErr_Format(PyExc_ValueError, "%R is too long", arg);
        }
    }
    return Py_NewRef(format_key);
}

static PyObject *
raise_too_long(PyObject *arg)
{
    PyErr_SetObject(PyExc_ValueError, arg);
    return NULL;
}

static PyObject *
helper_style(PyObject *module, PyObject *arg)
{
    if (helper_key == NULL) {
        helper_key = PyUnicode_FromString("helper");
        if (helper_key == NULL) {
            return NULL;
        }
        if (PyObject_Length(arg) > 100) {
            Py_DECREF(helper_key);
            return raise_too_long(arg);
        }
    }
    return Py_NewRef(helper_key);
}

static PyObject *
macro_style(PyObject *module, PyObject *arg)
{
    PyObject *result = NULL;

    if (macro_key == NULL) {
        macro_key = PyUnicode_FromString("macro");
        if (macro_key == NULL) {
            goto exit;
        }
        if (PyObject_Length(arg) > 100) {
            Py_DECREF(macro_key);
            RAISE_EXIT("too long");
        }
    }
    result = Py_NewRef(macro_key);
exit:
    return result;
}

static PyObject *
label_style(PyObject *module, PyObject *arg)
{
    PyObject *result = NULL;

    if (label_key == NULL) {
        label_key = PyUnicode_FromString("label");
        if (label_key == NULL) {
            FAIL_TO(out);
        }
        if (PyObject_Length(arg) > 100) {
            Py_DECREF(label_key);
            FAIL_TO(out);
        }
    }
    result = Py_NewRef(label_key);
out:
    return result;
}

static PyObject *
shared_style(PyObject *module, PyObject *arg)
{
    PyObject *res = NULL;

    if (shared_key == NULL) {
        shared_key = PyUnicode_FromString("shared");
        if (shared_key == NULL) {
            goto exit;
        }
    }
    res = PyTuple_Pack(2, shared_key, arg);
    Py_DECREF(shared_key);
    goto exit;
exit:
    return res;
}

static PyObject *
unknown_style(PyObject *module, PyObject *arg)
{
    if (unknown_key == NULL) {
        unknown_key = PyUnicode_FromString("unknown");
        if (unknown_key == NULL) {
            return NULL;
        }
        if (PyObject_Length(arg) > 100) {
            Py_DECREF(unknown_key);
            return external_error(arg);
        }
    }
    return Py_NewRef(unknown_key);
}

static PyObject *
branch_style(PyObject *module, PyObject *arg)
{
    PyObject *res = NULL;

    if (arg == Py_None) {
        res = Py_NewRef(Py_None);
        goto exit;
    }
    if (branch_key == NULL) {
        branch_key = PyUnicode_FromString("branch");
        if (branch_key == NULL) {
            goto exit;
        }
        if (PyObject_Length(arg) > 100) {
            Py_DECREF(branch_key);
            goto exit;
        }
    }
    res = PyTuple_Pack(2, branch_key, arg);
exit:
    return res;
}

static PyObject *
maybe_style(PyObject *module, PyObject *arg)
{
    PyObject *res = NULL;

    if (arg == Py_None)
        res = Py_NewRef(Py_None);
    if (maybe_key == NULL) {
        maybe_key = PyUnicode_FromString("maybe");
        if (maybe_key == NULL) {
            goto exit;
        }
        if (PyObject_Length(arg) > 100) {
            Py_DECREF(maybe_key);
            goto exit;
        }
    }
    Py_XDECREF(res);
    res = PyTuple_Pack(2, maybe_key, arg);
exit:
    return res;
}

static int
exec_module(PyObject *m)
{
    if (exec_error == NULL) {
        exec_error = PyErr_NewException("kinds.Error", NULL, NULL);
        if (exec_error == NULL) {
            return -1;
        }
        if (PyModule_AddObjectRef(m, "Error", exec_error) < 0) {
            Py_DECREF(exec_error);
            return -1;
        }
    }
    if (exec_given == NULL) {
        exec_given = PyErr_NewException("kinds.Given", NULL, NULL);
        if (exec_given == NULL) {
            return -1;
        }
        if (PyModule_AddObjectRef(m, "Given", exec_given) < 0) {
            return -1;
        }
        Py_DECREF(exec_given);
        return 0;
    }
    return finally_style(m);
}

static PyMethodDef methods[] = {
    {"clinic_style", clinic_style, METH_O, NULL},
    {"done_style", done_style, METH_O, NULL},
    {"tested_style", tested_style, METH_O, NULL},
    {"nomem_style", nomem_style, METH_O, NULL},
    {"format_style", format_style, METH_O, NULL},
    {"helper_style", helper_style, METH_O, NULL},
    {"macro_style", macro_style, METH_O, NULL},
    {"label_style", label_style, METH_O, NULL},
    {"shared_style", shared_style, METH_O, NULL},
    {"unknown_style", unknown_style, METH_O, NULL},
    {"branch_style", branch_style, METH_O, NULL},
    {"maybe_style", maybe_style, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_module},
    {0, NULL}
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "kinds", NULL, 0, methods, slots
};

PyMODINIT_FUNC
PyInit_kinds(void)
{
    return PyModuleDef_Init(&def);
}
