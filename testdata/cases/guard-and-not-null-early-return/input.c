/* Tests: a conjunction early return before the writes,
 * `if (a != NULL && b != NULL) return 0;`, guards every static it tests. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *true_text = NULL;    /*~ OV101 true_text */
static PyObject *false_text = NULL;   /*~ OV101 false_text */

static int
ensure_texts(void)
{
    if (true_text != NULL && false_text) {
        return 0;
    }
    true_text = PyUnicode_FromString("yes");
    false_text = PyUnicode_FromString("no");
    return (true_text && false_text) ? 0 : -1;
}

static PyObject *
render(PyObject *self, PyObject *arg)
{
    if (ensure_texts() < 0) {
        return NULL;
    }
    return Py_NewRef(PyObject_IsTrue(arg) ? true_text : false_text);
}
