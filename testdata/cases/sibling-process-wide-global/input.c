/* Object storage that oncevar never rewrites (a variable without
 * `static`, a static that starts out non-NULL, a member or element of a
 * global), filled under a lazy static's guard, stays process-wide: the
 * static's fix alone would have every new interpreter refill it, leaking
 * the old object and handing the other interpreters its own. So those
 * fixes are unsafe. Locals, parameters, memory reached through a
 * parameter, module state and non-object counters are per call or
 * harmless: those fixes stay safe. */
#include <Python.h>

#define SET(slot, value) ((slot) = (value))

PyObject *tail = NULL, *other;
PyObject *marks[2];
struct parts { PyObject *tail; int n; } parts;
static PyObject *fallback = Py_None;
int fills;
static int n;

typedef struct { PyObject *x; } modstate;

static int
fill_tail(void)
{
    tail = PyUnicode_FromString(">>");
    return tail == NULL ? -1 : 0;
}

static int
fill(PyObject **slot, const char *s)
{
    *slot = PyUnicode_FromString(s);
    return *slot == NULL ? -1 : 0;
}

static PyObject *
global_sibling(PyObject *self, PyObject *arg)
{
    static PyObject *head = NULL; /* ~ OV101 head */
    if (head == NULL) {
        head = PyUnicode_FromString("<<");
        tail = PyUnicode_FromString(">>");
    }
    return Py_XNewRef(head);
}

static PyObject *
through_macro(PyObject *self, PyObject *arg)
{
    static PyObject *m_head = NULL; /* ~ OV101 m_head */
    if (!m_head) {
        m_head = PyUnicode_FromString("<<");
        SET(other, PyUnicode_FromString(">>"));
    }
    return Py_XNewRef(m_head);
}

static PyObject *
through_helper(PyObject *self, PyObject *arg)
{
    static PyObject *h_head = NULL; /* ~ OV101 h_head */
    if (h_head == NULL) {
        h_head = PyUnicode_FromString("<<");
        if (h_head == NULL || fill_tail() < 0)
            return NULL;
    }
    return Py_XNewRef(h_head);
}

static PyObject *
through_address(PyObject *self, PyObject *arg)
{
    static PyObject *a_head = NULL; /* ~ OV101 a_head */
    if (a_head != NULL)
        return Py_NewRef(a_head);
    a_head = PyUnicode_FromString("<<");
    if (fill(&other, ">>") < 0)
        return NULL;
    return Py_XNewRef(a_head);
}

static PyObject *
elements(PyObject *self, PyObject *arg)
{
    static PyObject *e_head = NULL; /* ~ OV101 e_head */
    static PyObject *e_next = NULL; /* ~ OV101 e_next */
    if (e_head == NULL || e_next == NULL) {
        e_head = PyUnicode_FromString("<<");
        e_next = PyUnicode_FromString("..");
        marks[1] = PyUnicode_FromString(">>");
        parts.tail = PyUnicode_FromString(">>");
    }
    return Py_XNewRef(e_head);
}

static PyObject *
initialised(PyObject *self, PyObject *arg)
{
    static PyObject *i_head = NULL; /* ~ OV101 i_head */
    if (i_head == NULL) {
        i_head = PyUnicode_FromString("<<");
        fallback = PyUnicode_FromString(">>");
    }
    return Py_XNewRef(i_head);
}

static PyObject *
per_call(PyObject *self, modstate *st, PyObject **slot, PyObject *arg)
{
    static PyObject *safe_head = NULL; /* ~ OV101 safe_head */
    PyObject *tail = NULL;
    if (safe_head == NULL) {
        safe_head = PyUnicode_FromString("<<");
        tail = PyUnicode_FromString(">>");
        arg = tail;
        st->x = PyUnicode_FromString(">>");
        *slot = PyUnicode_FromString(">>");
        Py_XDECREF(tail);
        n++;
        fills = fills + 1;
        other = NULL;
    }
    return Py_XNewRef(safe_head);
}
