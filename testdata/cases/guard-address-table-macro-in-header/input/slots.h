/* The table's entry macro and a filling helper, in a header. */
#include <Python.h>

struct kw_slot { PyObject **slot; const char *text; };
#define KW(n) { &kw_##n, #n }

static int
fill_slots(const struct kw_slot *table)
{
    const struct kw_slot *e;
    for (e = table; e->slot != NULL; e++) {
        *(e->slot) = PyUnicode_InternFromString(e->text);
        if (*(e->slot) == NULL)
            return -1;
    }
    return 0;
}
