/* Tests: a name that C's lookup never takes for a variable is no
 * reference of the static it spells (before session 14 each was one, and
 * the safe fix of `cold` wrote `__attribute__((Py_ONCEVAR(cold)))`, which
 * does not compile): an attribute's name before or after a declarator, in
 * a prototype, among others (`noinline, cold`, `section("x"),
 * cold`), on a local or a parameter (`unused`); an attribute macro and a
 * string in a macro body (`hot`: unsafe before, "used inside the body of
 * macro"); a label of `goto`, `asm goto` and `&&`, an asm operand's
 * symbolic name, a K&R definition's parameter (`out`: refused before, the
 * fix parsed worse); a typedef in a block (`sizeof(cold)` there is the
 * type's size: rewritten before, the fix compiled with another meaning).
 * Control: a static named in an attribute's arguments
 * (`aligned(sizeof(width))`) is rewritten there, and the fix is unsafe. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define HOT __attribute__((hot))    /* not used: its body is read */
#define LABEL "hot"

static PyObject *cold = NULL;           /*~ OV101 cold */
static PyObject *hot = NULL;            /*~ OV101 hot */
static PyObject *unused = NULL;         /*~ OV101 unused */
static PyObject *out = NULL;            /*~ OV101 out */
static PyObject *width = NULL;          /*~ OV101 width */

__attribute__((cold)) static int rare(void);
static int rarer(void) __attribute__((noinline, cold));
__attribute__((section(".text.rarest"), cold)) static int rarest(void) { return 2; }
static int rare(void) { return 0; }
static int rarer(void) { return 1; }
static int often(void) { return 3; }

static size_t
sizes(void)
{
    typedef int cold;
    cold c = 4;
    return sizeof(cold) + (size_t)c;
}

static PyObject *
get_cold(PyObject *self, PyObject *args)
{
    if (cold == NULL) {
        cold = PyLong_FromSize_t(sizes() + (size_t)(rare() + rarer() + rarest()));
        if (cold == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(cold);
}

static PyObject *
get_hot(PyObject *self, PyObject *args)
{
    if (hot == NULL) {
        hot = PyUnicode_FromFormat("%s %d", LABEL, often());
        if (hot == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(hot);
}

static int
spare(int n __attribute__((unused)))
{
    __attribute__((unused)) int kept = 0;
    return 0;
}

static PyObject *
get_unused(PyObject *self, PyObject *args)
{
    __attribute__((unused)) int kept = spare(0);
    if (unused == NULL) {
        unused = PyUnicode_FromString("u");
        if (unused == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(unused);
}

static int
jump(int x)
{
    int y;
    __asm__ ("" : [out] "=r" (y) : [in] "r" (x));
    if (y) {
        goto out;
    }
    __asm__ goto ("" :::: out);
    return 0;
out:
    return 1;
}

static void *
where(void)
{
    void *at = &&out;
out:
    return at;
}

static int
old_style(out)
    int out;
{
    return out + jump(out) + (where() != NULL);
}

static PyObject *
get_out(PyObject *self, PyObject *args)
{
    if (out == NULL) {
        out = PyLong_FromLong(old_style(1));
        if (out == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(out);
}

static PyObject *
get_width(PyObject *self, PyObject *args)
{
    __attribute__((aligned(sizeof(width)))) char pad[16] = {0};
    if (width == NULL) {
        width = PyLong_FromLong(pad[0]);
        if (width == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(width);
}
