/* The lazy statics; the module in module.c runs the exported functions
 * that use them, some where no thread state is held. */
#include <Python.h>

static PyObject *at_exit;      /*~ OV102 at_exit */
static PyObject *two_levels;   /*~ OV102 two_levels */
static PyObject *in_thread;    /*~ OV101 in_thread */
static PyObject *without_gil;  /*~ OV101 without_gil */
static PyObject *with_gil;     /*~ OV101 with_gil */

PyObject *
get_at_exit(void)
{
    if (at_exit == NULL) {
        at_exit = PyUnicode_FromString("a");
    }
    return Py_XNewRef(at_exit);
}

void
cleanup_at_exit(void)
{
    Py_CLEAR(at_exit);
}

PyObject *
get_two_levels(void)
{
    if (two_levels == NULL) {
        two_levels = PyUnicode_FromString("b");
    }
    return Py_XNewRef(two_levels);
}

static void
drop_two_levels(void)
{
    Py_CLEAR(two_levels);
}

void
cleanup_two_levels(void)
{
    drop_two_levels();
}

PyObject *
get_in_thread(void)
{
    if (in_thread == NULL) {
        in_thread = PyUnicode_FromString("c");
    }
    return Py_XNewRef(in_thread);
}

void *
peek_in_thread(void *arg)
{
    return (void *)in_thread;
}

PyObject *
get_without_gil(void)
{
    if (without_gil == NULL) {
        without_gil = PyUnicode_FromString("d");
    }
    return Py_XNewRef(without_gil);
}

int
have_without_gil(void)
{
    return without_gil != NULL;
}

PyObject *
get_with_gil(void)
{
    if (with_gil == NULL) {
        with_gil = PyUnicode_FromString("e");
    }
    return Py_XNewRef(with_gil);
}

int
have_with_gil(void)
{
    return with_gil != NULL;
}
