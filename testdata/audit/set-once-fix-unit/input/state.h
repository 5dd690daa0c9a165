/* The module's process-wide objects, declared in a header of the unit, with
 * the macro that sets them. */
#include <Python.h>

static PyObject *shared_cache;   /*~ OV301 shared_cache fix=safe */
static PyObject *ModError;       /*~ OV301 ModError fix=safe */

#define SET_CACHE(v, x) ((v) = (x))
