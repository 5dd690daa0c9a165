/* Tests: a static that remembers a pointer into a Python object's own
 * memory (a member read through an object pointer: `Py_TYPE(o)->tp_name`,
 * a `PyTypeObject *` parameter's `tp->tp_doc`, `o->ob_type->tp_name`, a
 * cast to `PyTypeObject *`) or into a searched table (`bsearch`, `lfind`)
 * owns nothing and is no site (breaker round 6 non-owning-pointer v17 and
 * v19: OV201 with advice to free it); so does a member of an object cast
 * to its own struct (`((BufferObject *)self)->buffer`: the object frees
 * it) and anything's `ob_type`; a member read through a parameter
 * (`config->path`) points into the caller's memory, which the caller frees.
 * Controls stay OV201: a copy of the name (`strdup`), and a member of what
 * a function outside the unit returns. */
#include <Python.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    char *buffer;
} BufferObject;

struct codec {
    const char *name;
    int id;
};

static const struct codec codecs[] = {{"ascii", 1}, {"latin-1", 2}, {"utf-8", 3}};

struct config {
    char *path;
};

extern struct config *current_config(void);

static int
by_name(const void *a, const void *b)
{
    return strcmp(((const struct codec *)a)->name, ((const struct codec *)b)->name);
}

static PyObject *
remember(PyObject *self, PyObject *o)
{
    static const char *type_name = NULL;
    static const char *chained = NULL;
    static const char *through_cast = NULL;
    static const struct codec *found = NULL;
    static const struct codec *linear = NULL;
    static char *copied = NULL;                  /*~ OV201 copied */
    static char *own_buffer = NULL;
    static const char *type_of_type = NULL;
    struct codec key = {"utf-8", 0};
    size_t count = 3;

    if (type_name == NULL)
        type_name = Py_TYPE(o)->tp_name;
    if (chained == NULL)
        chained = o->ob_type->tp_name;
    if (through_cast == NULL)
        through_cast = ((PyTypeObject *)Py_TYPE(o))->tp_doc;
    if (found == NULL)
        found = bsearch(&key, codecs, 3, sizeof(codecs[0]), by_name);
    if (linear == NULL)
        linear = lfind(&key, codecs, &count, sizeof(codecs[0]), by_name);
    if (copied == NULL)
        copied = strdup(Py_TYPE(o)->tp_name);
    if (own_buffer == NULL)
        own_buffer = ((BufferObject *)self)->buffer;
    if (type_of_type == NULL)
        type_of_type = ((PyObject *)Py_TYPE(o))->ob_type->tp_name;
    return PyUnicode_FromFormat("%s %s %s %s %s %p %p", type_name, chained, through_cast,
                                type_of_type, copied, (void *)found, (void *)linear);
}

static PyObject *
describe(PyTypeObject *tp, struct config *config)
{
    static const char *doc = NULL;
    static const char *path = NULL;
    static const char *unfollowed = NULL;        /*~ OV201 unfollowed */
    if (doc == NULL)
        doc = tp->tp_doc;
    if (path == NULL)
        path = config->path;
    if (unfollowed == NULL)
        unfollowed = current_config()->path;
    return PyUnicode_FromFormat("%s %s %s", doc ? doc : "", path, unfollowed);
}
