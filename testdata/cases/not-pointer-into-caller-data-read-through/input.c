/* Tests: a raw static pointer that remembers a pointer read through its
 * caller's data owns no memory either: a member of a parameter (`c->buf`,
 * `self->data`, `s.data` of a structure passed by value), what a
 * parameter points to (`*pp`, `pp[1]`), a local copy of a parameter, a
 * parameter or a literal (`p ? p : ""`), the buffer of a local Py_buffer
 * (`view.buf`) or of a memoryview (`PyMemoryView_GET_BUFFER(mv)->buf`).
 * Freeing any of them at finalisation would free what another owns: no
 * site. A local structure's member that the function allocates, and a
 * copy of the caller's text, are still OV201. */
#include <Python.h>
#include <stdlib.h>
#include <string.h>

struct ctx { char *buf; size_t len; };
struct sbuf { const char *data; };
typedef struct { PyObject_HEAD char *data; } bufobj;

static void
trace(struct ctx *c, const char **pp, struct sbuf s, const char *p)
{
    static const char *member;
    static const char *pointee;
    static const char *element;
    static const char *by_value;
    static const char *either;
    static const char *copied;
    const char *cur = p;
    if (member == NULL) member = c->buf;
    if (pointee == NULL) pointee = *pp;
    if (element == NULL) element = pp[1];
    if (by_value == NULL) by_value = s.data;
    if (either == NULL) either = p ? p : "";
    if (copied == NULL) copied = cur;
}

static PyObject *
feed(bufobj *self, PyObject *unused)
{
    static const char *last;
    if (last == NULL)
        last = self->data;
    Py_RETURN_NONE;
}

static PyObject *
touch(PyObject *self, PyObject *arg)
{
    static const void *seen;
    static const void *viewed;
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    if (seen == NULL)
        seen = view.buf;
    PyBuffer_Release(&view);
    if (PyMemoryView_Check(arg) && viewed == NULL)
        viewed = PyMemoryView_GET_BUFFER(arg)->buf;
    Py_RETURN_NONE;
}

static const char *
keep(const char *p)
{
    static char *dup;               /*~ OV201 dup */
    static char *made;              /*~ OV201 made */
    struct sbuf local;
    char *fresh = malloc(16);
    local.data = fresh;
    if (dup == NULL)
        dup = strdup(p);
    if (made == NULL)
        made = (char *)local.data;
    return dup;
}
