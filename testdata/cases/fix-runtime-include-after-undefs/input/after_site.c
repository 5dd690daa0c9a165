/* Tests: the `#undef`s come after the site: the runtime include cannot go
 * after them (the rewritten declaration would come first), so the fix
 * stays unsafe. */
#include "inc/rec.h"
#include <Python.h>

static PyObject *late_name = NULL;   /*~ OV101 late_name */

#undef chunk
#undef winner
#undef spins

static PyObject *
get_late_name(PyObject *self, PyObject *unused)
{
    if (late_name == NULL) {
        late_name = PyUnicode_FromString("late");
        if (late_name == NULL)
            return NULL;
    }
    return Py_NewRef(late_name);
}
