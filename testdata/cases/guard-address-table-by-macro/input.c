/* Tests: statics whose addresses fill a table through macros of the unit
 * that paste the name (breaker sibling-guard-object v24). Each entry
 * names its static only in the macro's expansion, so the static has no
 * reference of its own; what reads the table writes or releases it:
 * a NULL-terminated pointer walk `*(e->slot) = ...` (also `*e->slot`,
 * stepped with `++e` from `&marks[0]`), an index `*table[i].slot`, a
 * `Py_CLEAR(*all[i])` loop, the paste two macros deep and a `&(v)`. The
 * address kept in the table outlives any interpreter and the macro's
 * body cannot be rewritten: no fix is safe, and the statics a guard fills
 * through the table make its own static's fix unsafe too. Controls: a
 * macro whose `&` is a bitwise and takes no address, and a table only
 * read through writes nothing. */
#include <Python.h>

/* A walk until a NULL slot, under another static's guard (v24). */
static PyObject *s_open, *s_close, *s_sep;   /*~ OV101 s_open */ /*~ OV101 s_close */ /*~ OV101 s_sep */

struct slot_entry { PyObject **slot; const char *text; };
#define SLOT(n, t) { &s_##n, t }

static const struct slot_entry rest[] = {
    SLOT(close, ">"),
    SLOT(sep, ","),
    { NULL, NULL },
};

static int
fill_rest(void)
{
    const struct slot_entry *e;
    for (e = rest; e->slot != NULL; e++) {
        *(e->slot) = PyUnicode_InternFromString(e->text);
        if (*(e->slot) == NULL)
            return -1;
    }
    return 0;
}

static PyObject *
tag(PyObject *self, PyObject *arg)
{
    if (s_open == NULL) {
        s_open = PyUnicode_InternFromString("<");
        if (s_open == NULL || fill_rest() < 0)
            return NULL;
    }
    return PyUnicode_FromFormat("%U%S%U%U", s_open, arg, s_sep, s_close);
}

/* Two macros deep, `&(v)`, an index walk under the table's own guard. */
static PyObject *str_add, *str_sub;          /*~ OV101 str_add */ /*~ OV101 str_sub */

#define ADDRESS_OF(v) &(v)
#define NAMED(x) { ADDRESS_OF(str_##x), #x }

static struct { PyObject **slot; const char *text; } names[] = {
    NAMED(add),
    NAMED(sub),
};

static int
intern_names(void)
{
    size_t i;
    if (str_add != NULL && str_sub != NULL)
        return 0;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        *names[i].slot = PyUnicode_InternFromString(names[i].text);
        if (*names[i].slot == NULL)
            return -1;
    }
    return 0;
}

/* A pointer array spelled by a macro, released in m_clear. */
static PyObject *cache_x, *cache_y;          /*~ OV102 cache_x */ /*~ OV102 cache_y */

#define CACHED(n) &cache_##n

static PyObject **const all_caches[] = {CACHED(x), CACHED(y)};

static PyObject *
pair(PyObject *self, PyObject *unused)
{
    if (cache_x == NULL || cache_y == NULL) {
        cache_x = PyUnicode_InternFromString("x");
        cache_y = PyUnicode_InternFromString("y");
        if (!cache_x || !cache_y)
            return NULL;
    }
    return PyTuple_Pack(2, cache_x, cache_y);
}

/* A walk from `&marks[0]` stepped with `++e`, written `*e->slot`. */
static PyObject *mark_a, *mark_b;            /*~ OV101 mark_a */ /*~ OV101 mark_b */

#define MARK(n) { &mark_##n, #n }

static struct slot_entry marks[] = { MARK(a), MARK(b), { NULL, NULL } };

static PyObject *
get_marks(PyObject *self, PyObject *unused)
{
    struct slot_entry *e = &marks[0];
    if (mark_a == NULL) {
        for (; e->slot; ++e) {
            *e->slot = PyUnicode_FromString(e->text);
            if (*e->slot == NULL)
                return NULL;
        }
    }
    return PyTuple_Pack(2, mark_a, mark_b);
}

/* Controls. A bitwise and in the macro (under sizeof: a constant) takes no
 * address: `flags` is no static of a table; `only_read` is only read. */
static PyObject *only_read;
static long flags;
#define LOW(v) sizeof((v) & 1)
#define READ_ONLY(n) &only_##n

static const long lows[] = {LOW(flags), 0};
static PyObject **const seen[] = {READ_ONLY(read)};

static PyObject *
cmp(PyObject *self, PyObject *arg)
{
    size_t i, n = 0;
    if (intern_names() < 0)
        return NULL;
    for (i = 0; i < 1; i++)
        n += *seen[i] != NULL;
    return Py_BuildValue("(OOnl)", str_add, str_sub, (Py_ssize_t)n, lows[0]);
}

static int
mod_clear(PyObject *m)
{
    size_t i;
    for (i = 0; i < sizeof(all_caches) / sizeof(all_caches[0]); i++)
        Py_CLEAR(*all_caches[i]);
    return 0;
}

static PyMethodDef methods[] = {
    {"tag", tag, METH_O, NULL},
    {"pair", pair, METH_NOARGS, NULL},
    {"marks", get_marks, METH_NOARGS, NULL},
    {"cmp", cmp, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "tables", NULL, 0, methods, NULL, NULL,
                                 mod_clear};

PyMODINIT_FUNC
PyInit_tables(void)
{
    return PyModuleDef_Init(&def);
}
