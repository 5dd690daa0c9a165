/* Tests: a pointer stepped (`m++`, `m += k`, `m = m + 1`) stays in the
 * memory it points into (C11 6.5.6p8), and a member of a variable of
 * static storage (`Buf_Type.tp_members`, `config.names`) points to memory
 * that variable owns: a static that only remembers such a pointer owns
 * nothing and is no site (no advice to free it). Controls: the same walk
 * over memory the function allocates, and a member of a local struct held
 * by value, stay OV201. */
#include <Python.h>
#include <structmember.h>
#include <string.h>

typedef struct { PyObject_HEAD Py_ssize_t size; Py_ssize_t used; } BufObject;
static PyMemberDef buf_members[] = {
    {"size", T_PYSSIZET, offsetof(BufObject, size), READONLY, NULL},
    {"used", T_PYSSIZET, offsetof(BufObject, used), READONLY, NULL},
    {NULL}
};
static PyTypeObject Buf_Type;

static struct {
    const char *const *names;
    int count;
} config;

struct span { char *data; size_t len; };
extern struct span make_span(size_t n);

static Py_ssize_t
size_offset(void)
{
    static PyMemberDef *size_member;
    if (!size_member) {
        PyMemberDef *m;
        for (m = Buf_Type.tp_members; m->name; m++) {
            if (strcmp(m->name, "size") == 0) {
                size_member = m;
                break;
            }
        }
    }
    return size_member ? size_member->offset : -1;
}

static Py_ssize_t
used_offset(void)
{
    static PyMemberDef *used_member = NULL;
    if (used_member == NULL) {
        PyMemberDef *m = Buf_Type.tp_members;
        while (m->name && strcmp(m->name, "used") != 0)
            m += 1;
        used_member = m;
    }
    return used_member->offset;
}

static const char *
second_name(void)
{
    static const char *const *second;
    if (second == NULL) {
        const char *const *n = config.names;
        n = n + 1;
        second = n;
    }
    return *second;
}

/* Controls. */
static char *
scratch_tail(void)
{
    static char *tail;                          /*~ OV201 tail */
    if (tail == NULL) {
        char *p = malloc(64);
        if (p == NULL)
            return NULL;
        p++;
        tail = p;
    }
    return tail;
}

static char *
span_data(void)
{
    static char *held;                          /*~ OV201 held */
    if (held == NULL) {
        struct span s = make_span(32);
        held = s.data;
    }
    return held;
}
