/* Part of unit-clinic-methoddef-in-header: generated-style wrappers, as
 * Argument Clinic writes them. */

PyDoc_STRVAR(counter_empty__doc__, "empty($module, /)\n--\n\n");

#define COUNTER_EMPTY_METHODDEF    \
    {"empty", (PyCFunction)counter_empty, METH_NOARGS, counter_empty__doc__},

static PyObject *
counter_empty_impl(PyObject *module);

static PyObject *
counter_empty(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return counter_empty_impl(module);
}

#define COUNTER_ZERO_METHODDEF    \
    {"zero", _PyCFunction_CAST(counter_zero), METH_NOARGS, NULL},

static PyObject *
counter_zero_impl(PyObject *module);

static PyObject *
counter_zero(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return counter_zero_impl(module);
}
