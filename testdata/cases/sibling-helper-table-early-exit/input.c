/* Tests: an early exit (`if (s_open != NULL) return s_open;`) guards
 * the statements after it in its block, so a helper they call that
 * writes other statics through a table of their addresses fills them
 * under that guard: they are fixed together or not at all, as under an
 * `if (s_open == NULL) { … }` block (sibling-helper-table-addresses).
 * Before, `s_open` had a safe fix alone, and every later interpreter
 * refilled (and leaked) the process-wide `s_close` and `s_sep`.
 * Control: an early exit whose later helper reads no such table keeps
 * its safe fix. */
#include <Python.h>

static PyObject *s_open;                /*~ OV101 s_open */
static PyObject *s_close, *s_sep;       /*~ OV101 s_close */ /*~ OV101 s_sep */
static PyObject *s_alone;               /*~ OV101 s_alone */

static PyObject **slots[] = {&s_close, &s_sep};
static const char *texts[] = {">", ","};

static int
fill_rest(void)
{
    for (int i = 0; i < 2; i++) {
        *slots[i] = PyUnicode_InternFromString(texts[i]);
        if (*slots[i] == NULL)
            return -1;
    }
    return 0;
}

static int
count_alone(void)
{
    return 1;
}

static PyObject *
get_open(void)
{
    if (s_open != NULL)
        return s_open;
    s_open = PyUnicode_InternFromString("<");
    if (s_open == NULL || fill_rest() < 0)
        return NULL;
    return s_open;
}

static PyObject *
get_alone(void)
{
    if (s_alone)
        return s_alone;
    s_alone = PyLong_FromLong(count_alone());
    return s_alone;
}

static PyObject *
wrap(PyObject *self, PyObject *arg)
{
    PyObject *o = get_open();
    if (o == NULL || get_alone() == NULL)
        return NULL;
    return PyUnicode_FromFormat("%U%U%U%U%S", o, arg, s_sep, s_close, s_alone);
}
