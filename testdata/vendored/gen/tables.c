/* Generated code of the project: vendored only when the configuration
 * says so (extend-vendored). */
#include <Python.h>
static PyObject *table = NULL;              /*~ OV101 table */
PyObject *get_table(void) {
    if (table == NULL) {
        table = PyDict_New();
    }
    return table;
}
int gen_broken( {
