/* Tests (look-alike, no finding): a NON-static global `PyObject *g = NULL;`
 * with a lazy NULL guard.  It has external linkage (other files may use
 * it), so it is out of scope for this rule. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

PyObject *mymod_shared_registry = NULL;
PyObject *mymod_shared_lock;

PyObject *
mymod_get_registry(void)
{
    if (mymod_shared_registry == NULL) {
        mymod_shared_registry = PyDict_New();
    }
    if (!mymod_shared_lock) {
        mymod_shared_lock = PyList_New(0);
    }
    return mymod_shared_registry;
}
