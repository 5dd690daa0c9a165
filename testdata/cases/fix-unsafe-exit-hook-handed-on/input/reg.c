/* Tests (with hooks.c and mod.c): registrations that keep the function
 * further away: reg_quit in a malloc'd node of a linked list whose head
 * its Py_AtExit hook walks; add_hooks in a table of struct pointers that
 * a C atexit hook walks (hooks.c). */
#include <Python.h>
#include <stdlib.h>
#include "reg.h"

struct node {
    void (*fn)(void);
    struct node *next;
};

static struct node *head;

static void
run_all(void)
{
    struct node *n;
    for (n = head; n != NULL; n = n->next)
        n->fn();
}

int
reg_quit(void (*fn)(void))
{
    static int done;
    struct node *node = malloc(sizeof *node);
    if (node == NULL)
        return -1;
    if (!done && Py_AtExit(run_all) < 0) {
        free(node);
        return -1;
    }
    done = 1;
    node->fn = fn;
    node->next = head;
    head = node;
    return 0;
}
