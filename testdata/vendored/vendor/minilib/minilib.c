/* A vendored unit that does not parse, with a site: neither is counted. */
#include <Python.h>
static PyObject *lib_state = NULL;          /*~ vendored OV101 lib_state */
PyObject *lib_get(void) {
    if (lib_state == NULL) {
        lib_state = PyLong_FromLong(1);
    }
    return lib_state;
}
int broken( {
