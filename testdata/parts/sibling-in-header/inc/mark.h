/* Reads mod.c's `mark`: its fix edits this file too. */
static PyObject *
mark_get(void)
{
    return mark;
}
