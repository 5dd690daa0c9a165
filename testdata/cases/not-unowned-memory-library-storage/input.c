/* Tests: a lazily filled static pointer into storage the C library or
 * another record keeps is no site (nothing to free): CPython's Py_GETENV,
 * a member of getpwuid()'s record through a local, a member straight off
 * localtime(), an element of tzname, a file-scope and a local static
 * buffer by name (an array is its address), memchr() and strtok() into
 * the argument, a local that only ever holds such values. OV201 with its
 * advice to free stays where the static may own what it holds: realpath
 * with a NULL buffer allocates, a local also given malloc()'s result, a
 * local whose address a function outside the unit receives, a member of
 * a record from a function outside the unit. A parameter named like a
 * file-scope array is its caller's data, no site as before. */
#include <Python.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char scratch[256];
static char *names_table[4];
extern struct passwd *lookup_user(const char *);
extern void fill_path(char **);

static PyObject *
info(PyObject *self, PyObject *args)
{
    static const char *home = NULL;
    static const char *pw_home = NULL;
    static const char *zone = NULL;
    static const char *tz_name = NULL;
    static char *scratch_p = NULL;
    static char *line_p = NULL;
    static const char *shell = NULL;
    static char *first_word = NULL;
    static char *table_p = NULL;
    static char *resolved = NULL;                     /*~ OV201 resolved */
    static char *mixed = NULL;                        /*~ OV201 mixed */
    static char *filled = NULL;                       /*~ OV201 filled */
    static const char *other_home = NULL;             /*~ OV201 other_home */
    static char line[128];
    time_t now = time(NULL);

    if (home == NULL)
        home = Py_GETENV("HOME");
    if (pw_home == NULL) {
        struct passwd *pw = getpwuid(getuid());
        if (pw != NULL)
            pw_home = pw->pw_dir;
    }
    if (zone == NULL) {
        tzset();
        zone = tzname[0];
    }
    if (tz_name == NULL)
        tz_name = localtime(&now)->tm_zone;
    if (scratch_p == NULL)
        scratch_p = scratch;
    if (line_p == NULL)
        line_p = line;
    if (table_p == NULL)
        table_p = (char *)names_table;
    if (shell == NULL) {
        const char *s = getenv("SHELL");
        if (s == NULL)
            s = "/bin/sh";
        shell = s;
    }
    if (first_word == NULL)
        first_word = strtok(scratch, " ");
    if (resolved == NULL)
        resolved = realpath(".", NULL);
    if (mixed == NULL) {
        char *m = scratch;
        if (scratch[0] == '\0')
            m = malloc(16);
        mixed = m;
    }
    if (filled == NULL) {
        char *f = scratch;
        fill_path(&f);
        filled = f;
    }
    if (other_home == NULL) {
        struct passwd *o = lookup_user("nobody");
        if (o != NULL)
            other_home = o->pw_dir;
    }
    return Py_BuildValue("(zzzzzzzzz)", home, pw_home, zone, tz_name, scratch_p, line_p, shell,
                         first_word, resolved);
}

static void
trace(const char *p, size_t n, char *scratch)
{
    static const char *nl = NULL;
    static char *param_p = NULL;

    if (nl == NULL)
        nl = memchr(p, '\n', n);
    if (param_p == NULL)
        param_p = scratch;
}

static PyObject *
py_trace(PyObject *self, PyObject *arg)
{
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(arg, &n);
    if (s == NULL)
        return NULL;
    trace(s, (size_t)n, NULL);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"info", info, METH_NOARGS, NULL},
    {"trace", py_trace, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "libstorage", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_libstorage(void)
{
    return PyModuleDef_Init(&def);
}
