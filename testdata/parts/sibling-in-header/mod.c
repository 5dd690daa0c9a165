/* Statics filled under one guard are fixed together or not at all: with
 * `tail` (sib.h), `rq` (inc/quote.h) or `mark`'s use (inc/mark.h) in a
 * header that is not scanned, those statics are not rewritten, and the
 * fix of their siblings alone would have every new interpreter refill
 * the process-wide one. */
#include <Python.h>
#include "sib.h"
#include "quote.h"

static PyObject *head = NULL; /* ~ OV101 head */
static PyObject *lq = NULL; /* ~ OV101 lq */
static PyObject *mark = NULL; /* ~ OV101 mark */
static PyObject *stamp = NULL; /* ~ OV101 stamp */

#include "mark.h"

static PyObject *
wrap(PyObject *self, PyObject *arg)
{
    if (head == NULL) {
        head = PyUnicode_FromString("<<");
        tail = PyUnicode_FromString(">>");
        if (head == NULL || tail == NULL)
            return NULL;
    }
    return PyUnicode_FromFormat("%U%U%U", head, arg, tail);
}

static PyObject *
quotes(PyObject *self, PyObject *unused)
{
    if (lq == NULL || rq == NULL) {
        lq = PyUnicode_InternFromString("<<");
        rq = PyUnicode_InternFromString(">>");
        if (lq == NULL || rq == NULL)
            return NULL;
    }
    return PyTuple_Pack(2, lq, rq);
}

static PyObject *
marked(PyObject *self, PyObject *unused)
{
    if (!stamp) {
        stamp = PyUnicode_InternFromString("@");
        mark = PyUnicode_InternFromString("!");
        if (!stamp || !mark)
            return NULL;
    }
    return PyTuple_Pack(2, stamp, mark_get());
}
