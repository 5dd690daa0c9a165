/* Tests: a lazily created static that a function-like macro of the unit
 * releases or empties is released (OV102) as the same code written out
 * is, and the site is never lost: `do { Py_XDECREF(v); (v) = NULL; }
 * while (0)`, a copy into the macro's own local emptied and released, a
 * one-line `Py_CLEAR` wrapper, a statement expression, a macro invoking
 * another, `Py_SETREF(v, NULL)`, a macro of an included header, and the
 * parenthesised lvalue `(v) = NULL` written out. Before, a macro that set
 * its argument to NULL was taken for a write of a value (no site at all)
 * and one that only released it, or `(v) = NULL`, went unseen (OV101).
 * Controls: a macro that only empties it (a reset, as `v = NULL;` is:
 * OV101), one that only reads it, and one that drops it without
 * emptying it (OV101). Each fix rewrites the macro's argument. */
#include <Python.h>
#include "drop.h"

#define DETACH_AND_DROP(var) do { Py_XDECREF(var); (var) = NULL; } while (0)
#define SWAP_DROP(var) do { PyObject *_old = (PyObject *)(var); (var) = NULL; Py_XDECREF(_old); } while (0)
#define CLEAR_WRAP(var) Py_CLEAR(var)
#define STMT_DROP(var) ({ Py_XDECREF(var); (var) = NULL; })
#define RESET_ONLY(var) ((var) = NULL)
#define NESTED_DROP(var) do { Py_XDECREF(var); RESET_ONLY(var); } while (0)
#define SETREF_DROP(var) Py_SETREF((var), NULL)
#define USE(var) PyObject_Repr(var)
#define DECREF_ONLY(var) Py_DECREF(var)

static PyObject *dowhile = NULL;       /*~ OV102 dowhile */

static PyObject *
get_dowhile(PyObject *self, PyObject *unused)
{
    if (dowhile == NULL) {
        dowhile = PyList_New(0);
        if (dowhile == NULL)
            return NULL;
    }
    return Py_NewRef(dowhile);
}

static PyObject *
clear_dowhile(PyObject *self, PyObject *unused)
{
    if (dowhile != NULL) {
        DETACH_AND_DROP(dowhile);
    }
    Py_RETURN_NONE;
}

static PyObject *swaplocal = NULL;     /*~ OV102 swaplocal */

static PyObject *
get_swaplocal(PyObject *self, PyObject *unused)
{
    if (swaplocal == NULL) {
        swaplocal = PyList_New(0);
        if (swaplocal == NULL)
            return NULL;
    }
    return Py_NewRef(swaplocal);
}

static PyObject *
clear_swaplocal(PyObject *self, PyObject *unused)
{
    if (swaplocal != NULL) {
        SWAP_DROP(swaplocal);
    }
    Py_RETURN_NONE;
}

static PyObject *clearwrap = NULL;     /*~ OV102 clearwrap */

static PyObject *
get_clearwrap(PyObject *self, PyObject *unused)
{
    if (clearwrap == NULL) {
        clearwrap = PyList_New(0);
        if (clearwrap == NULL)
            return NULL;
    }
    return Py_NewRef(clearwrap);
}

static PyObject *
clear_clearwrap(PyObject *self, PyObject *unused)
{
    if (clearwrap != NULL) {
        CLEAR_WRAP(clearwrap);
    }
    Py_RETURN_NONE;
}

static PyObject *parenlocal = NULL;    /*~ OV102 parenlocal */

static PyObject *
get_parenlocal(PyObject *self, PyObject *unused)
{
    if (parenlocal == NULL) {
        parenlocal = PyList_New(0);
        if (parenlocal == NULL)
            return NULL;
    }
    return Py_NewRef(parenlocal);
}

static PyObject *
clear_parenlocal(PyObject *self, PyObject *unused)
{
    if (parenlocal != NULL) {
        { PyObject *o = parenlocal; (parenlocal) = NULL; Py_XDECREF(o); }
    }
    Py_RETURN_NONE;
}

static PyObject *stmtexpr = NULL;      /*~ OV102 stmtexpr */

static PyObject *
get_stmtexpr(PyObject *self, PyObject *unused)
{
    if (stmtexpr == NULL) {
        stmtexpr = PyList_New(0);
        if (stmtexpr == NULL)
            return NULL;
    }
    return Py_NewRef(stmtexpr);
}

static PyObject *
clear_stmtexpr(PyObject *self, PyObject *unused)
{
    if (stmtexpr != NULL) {
        (void)STMT_DROP(stmtexpr);
    }
    Py_RETURN_NONE;
}

static PyObject *nested = NULL;        /*~ OV102 nested */

static PyObject *
get_nested(PyObject *self, PyObject *unused)
{
    if (nested == NULL) {
        nested = PyList_New(0);
        if (nested == NULL)
            return NULL;
    }
    return Py_NewRef(nested);
}

static PyObject *
clear_nested(PyObject *self, PyObject *unused)
{
    if (nested != NULL) {
        NESTED_DROP(nested);
    }
    Py_RETURN_NONE;
}

static PyObject *setrefnull = NULL;    /*~ OV102 setrefnull */

static PyObject *
get_setrefnull(PyObject *self, PyObject *unused)
{
    if (setrefnull == NULL) {
        setrefnull = PyList_New(0);
        if (setrefnull == NULL)
            return NULL;
    }
    return Py_NewRef(setrefnull);
}

static PyObject *
clear_setrefnull(PyObject *self, PyObject *unused)
{
    if (setrefnull != NULL) {
        SETREF_DROP(setrefnull);
    }
    Py_RETURN_NONE;
}

static PyObject *inheader = NULL;      /*~ OV102 inheader */

static PyObject *
get_inheader(PyObject *self, PyObject *unused)
{
    if (inheader == NULL) {
        inheader = PyList_New(0);
        if (inheader == NULL)
            return NULL;
    }
    return Py_NewRef(inheader);
}

static PyObject *
clear_inheader(PyObject *self, PyObject *unused)
{
    if (inheader != NULL) {
        HDR_DROP(inheader);
    }
    Py_RETURN_NONE;
}

static PyObject *resetonly = NULL;     /*~ OV101 resetonly */

static PyObject *
get_resetonly(PyObject *self, PyObject *unused)
{
    if (resetonly == NULL) {
        resetonly = PyList_New(0);
        if (resetonly == NULL)
            return NULL;
    }
    return Py_NewRef(resetonly);
}

static PyObject *
clear_resetonly(PyObject *self, PyObject *unused)
{
    if (resetonly != NULL) {
        RESET_ONLY(resetonly);
    }
    Py_RETURN_NONE;
}

static PyObject *readonly = NULL;      /*~ OV101 readonly */

static PyObject *
get_readonly(PyObject *self, PyObject *unused)
{
    if (readonly == NULL) {
        readonly = PyList_New(0);
        if (readonly == NULL)
            return NULL;
    }
    return Py_NewRef(readonly);
}

static PyObject *
clear_readonly(PyObject *self, PyObject *unused)
{
    if (readonly != NULL) {
        PyObject *r = USE(readonly); Py_XDECREF(r);
    }
    Py_RETURN_NONE;
}

static PyObject *decrefonly = NULL;    /*~ OV101 decrefonly */

static PyObject *
get_decrefonly(PyObject *self, PyObject *unused)
{
    if (decrefonly == NULL) {
        decrefonly = PyList_New(0);
        if (decrefonly == NULL)
            return NULL;
    }
    return Py_NewRef(decrefonly);
}

static PyObject *
clear_decrefonly(PyObject *self, PyObject *unused)
{
    if (decrefonly != NULL) {
        DECREF_ONLY(decrefonly);
    }
    Py_RETURN_NONE;
}
