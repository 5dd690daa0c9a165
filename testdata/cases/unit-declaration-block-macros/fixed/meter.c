/* The object struct is declared between declaration-block macros in a
 * project header, and the first static follows the header's closing macro. */
#include <Python.h>
#include "oncevar.h"
#include "include/gauge.h"
Py_ONCEVAR_DECLARE(GaugeObject *, idle_gauge); /*~ OV101 idle_gauge */
Py_ONCEVAR_DECLARE(PyObject *, unit_name); /*~ OV101 unit_name */

static PyObject *
meter_idle(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(idle_gauge) == NULL) {
        Py_ONCEVAR(idle_gauge) = PyObject_New(GaugeObject, &Gauge_Type);
        if (Py_ONCEVAR(idle_gauge) == NULL) {
            return NULL;
        }
        Py_ONCEVAR(idle_gauge)->level = 0.0;
    }
    Py_INCREF(Py_ONCEVAR(idle_gauge));
    return (PyObject *)Py_ONCEVAR(idle_gauge);
}

static PyObject *
meter_unit(PyObject *self, PyObject *unused)
{
    if (!Py_ONCEVAR(unit_name)) {
        Py_ONCEVAR(unit_name) = PyUnicode_FromString("kPa");
    }
    return Py_NewRef(Py_ONCEVAR(unit_name));
}
