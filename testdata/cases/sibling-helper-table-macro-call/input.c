/* Tests: a guard that invokes a macro of the file in front of a table
 * of statics' addresses fills them under that guard, as a helper that
 * reads the table does (sibling-helper-table-addresses): a macro that
 * names the table (`FILL_REST()`, `fill_slots(slots, 2)`), and one that
 * calls a helper reading it (`FILL_QUOTES()`, `fill_quotes()`). `s_open`
 * and `s_quote` are fixed together with the statics of their table or
 * not at all. Before, both had a safe fix alone (a macro is no function
 * of the call graph, and its call names no table in its arguments), and
 * every later interpreter refilled (and leaked) the process-wide others.
 * Control: a macro that names no table (`COUNT()`) keeps `s_alone`'s
 * safe fix. */
#include <Python.h>

static PyObject *s_open;                /*~ OV101 s_open */
static PyObject *s_quote;               /*~ OV101 s_quote */
static PyObject *s_alone;               /*~ OV101 s_alone */
static PyObject *s_close, *s_sep;
static PyObject *s_left, *s_right;

static PyObject **slots[] = {&s_close, &s_sep};
static PyObject **quotes[] = {&s_left, &s_right};
static const char *texts[] = {">", ","};

static int
fill_slots(PyObject **const *table, int n)
{
    for (int i = 0; i < n; i++) {
        *table[i] = PyUnicode_InternFromString(texts[i]);
        if (*table[i] == NULL)
            return -1;
    }
    return 0;
}

static int
fill_quotes(void)
{
    for (int i = 0; i < 2; i++) {
        *quotes[i] = PyUnicode_InternFromString(texts[i]);
        if (*quotes[i] == NULL)
            return -1;
    }
    return 0;
}

#define FILL_REST() fill_slots(slots, 2)
#define FILL_QUOTES() fill_quotes()
#define COUNT() PyLong_FromLong(1)

static PyObject *
get_open(void)
{
    if (s_open == NULL) {
        s_open = PyUnicode_InternFromString("<");
        if (s_open == NULL || FILL_REST() < 0)
            return NULL;
    }
    return s_open;
}

static PyObject *
get_quote(void)
{
    if (s_quote == NULL) {
        s_quote = PyUnicode_InternFromString("'");
        if (s_quote == NULL || FILL_QUOTES() < 0)
            return NULL;
    }
    return s_quote;
}

static PyObject *
get_alone(void)
{
    if (s_alone == NULL) {
        s_alone = COUNT();
    }
    return s_alone;
}

static PyObject *
wrap(PyObject *self, PyObject *arg)
{
    PyObject *o = get_open();
    if (o == NULL || get_quote() == NULL || get_alone() == NULL)
        return NULL;
    return PyUnicode_FromFormat("%U%U%U%U%U%U%S", o, arg, s_sep, s_close, s_left, s_right, s_alone);
}
