#include "common.h"

/* The static's address is kept in a table: it would outlive a slot. */
static PyObject **delta_slots[] = {&default_sep};

PyObject **
delta_slot(int i)
{
    return delta_slots[i];
}
