/* Tests (look-alike, no finding): a free list.  `free_list` is checked
 * against NULL and assigned, but it is reassigned on every pop/push
 * (`free_list = free_list->next`): it is state, not a cache. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct node {
    struct node *next;
    PyObject *value;
} node;

static node *free_list = NULL;
static int numfree = 0;

static node *
node_alloc(void)
{
    node *n;
    if (free_list == NULL) {
        free_list = PyMem_Malloc(sizeof(node));
        if (free_list == NULL) {
            return NULL;
        }
        free_list->next = NULL;
        numfree++;
    }
    n = free_list;
    free_list = free_list->next;
    numfree--;
    return n;
}

static void
node_release(node *n)
{
    Py_CLEAR(n->value);
    n->next = free_list;
    free_list = n;
    numfree++;
}
