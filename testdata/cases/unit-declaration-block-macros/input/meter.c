/* The object struct is declared between declaration-block macros in a
 * project header, and the first static follows the header's closing macro. */
#include <Python.h>
#include "include/gauge.h"
static GaugeObject *idle_gauge = NULL; /*~ OV101 idle_gauge */
static PyObject *unit_name = NULL; /*~ OV101 unit_name */

static PyObject *
meter_idle(PyObject *self, PyObject *unused)
{
    if (idle_gauge == NULL) {
        idle_gauge = PyObject_New(GaugeObject, &Gauge_Type);
        if (idle_gauge == NULL) {
            return NULL;
        }
        idle_gauge->level = 0.0;
    }
    Py_INCREF(idle_gauge);
    return (PyObject *)idle_gauge;
}

static PyObject *
meter_unit(PyObject *self, PyObject *unused)
{
    if (!unit_name) {
        unit_name = PyUnicode_FromString("kPa");
    }
    return Py_NewRef(unit_name);
}
