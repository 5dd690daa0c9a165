/* Part of mod.c, one folder down. */
static PyObject *dumps_name; /* ~ OV102 dumps_name */

static PyObject *
get_dumps_name(void)
{
    if (!dumps_name) {
        dumps_name = PyUnicode_InternFromString("dumps");
    }
    return dumps_name;
}
