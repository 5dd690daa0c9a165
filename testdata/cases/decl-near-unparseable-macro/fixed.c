/* Tests: a site next to macros tree-sitter cannot parse.  The method table
 * is built with BEGIN/END macros that expand to unbalanced braces, and a
 * statement macro has no trailing semicolon; both leave ERROR/MISSING nodes
 * in the tree just before the site, which must not hide it. -> OV101 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

#define METHODS_BEGIN(name) static PyMethodDef name[] = {
#define METHODS_END {NULL, NULL, 0, NULL} };
#define METHOD_NOARGS(fn) {#fn, (PyCFunction)fn, METH_NOARGS, NULL},
#define RELEASE_GIL_AND(stmt) Py_BEGIN_ALLOW_THREADS stmt; Py_END_ALLOW_THREADS

static PyObject *sleep_zero(PyObject *self, PyObject *unused);
static PyObject *hostname(PyObject *self, PyObject *unused);

METHODS_BEGIN(netmethods)
    METHOD_NOARGS(sleep_zero)
    METHOD_NOARGS(hostname)
METHODS_END

static PyObject *
sleep_zero(PyObject *self, PyObject *unused)
{
    RELEASE_GIL_AND((void)0)
    Py_RETURN_NONE;
}

Py_ONCEVAR_DECLARE(PyObject *, hostname_cache);   /*~ OV101 hostname_cache */

static PyObject *
hostname(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(hostname_cache) == NULL) {
        Py_ONCEVAR(hostname_cache) = PyUnicode_FromString("localhost");
        if (Py_ONCEVAR(hostname_cache) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR(hostname_cache));
}
