/* Tests: a guard that fills one static and runs a helper that writes
 * others through a table of their addresses (`*rest[i].slot = …`,
 * sibling-guard-object v21) fixes them together or not at all: a fix of
 * the first alone makes every later interpreter refill (and leak) the
 * process-wide others. Before, `s_open` had a safe fix. The table in a
 * header, read through a helper of the helper and a macro; one in the
 * file read as `table[i].slot[0]`. Control: a guard whose helper reads
 * no such table keeps its safe fix. */
#include <Python.h>
#include "names.h"

static PyObject *s_open;                /*~ OV101 s_open */
static PyObject *s_quote = NULL;        /*~ OV101 s_quote */
static PyObject *s_alone = NULL;        /*~ OV101 s_alone */
static PyObject *s_dash, *s_dot;

static struct { PyObject **slot; const char *text; } marks[] = {
    {&s_dash, "-"},
    {&s_dot, "."},
};

#define FOR_EACH_NAME(e) for (e = tail_names; e->slot != NULL; e++)

static int
fill_entries(void)
{
    name_entry *e;
    FOR_EACH_NAME(e) {
        *e->slot = PyUnicode_InternFromString(e->text);
        if (*e->slot == NULL)
            return -1;
    }
    return 0;
}

static int
fill_tail(void)
{
    return fill_entries();
}

static int
fill_marks(void)
{
    size_t i;
    for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
        marks[i].slot[0] = PyUnicode_InternFromString(marks[i].text);
        if (marks[i].slot[0] == NULL)
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
wrap(PyObject *self, PyObject *arg)
{
    if (s_open == NULL) {
        s_open = PyUnicode_InternFromString("<");
        if (s_open == NULL || fill_tail() < 0)
            return NULL;
    }
    if (!s_quote && (!(s_quote = PyUnicode_InternFromString("'")) || fill_marks() < 0))
        return NULL;
    if (s_alone == NULL) {
        s_alone = PyLong_FromLong(count_alone());
        if (s_alone == NULL)
            return NULL;
    }
    return PyUnicode_FromFormat("%U%U%U%U%U%U%U", s_open, arg, s_sep, s_end, s_dash, s_dot, s_alone);
}
