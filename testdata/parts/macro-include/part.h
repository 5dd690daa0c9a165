/* Part of main.c, included through a macro. */
static PyObject *dumps_name = NULL; /* ~ OV102 dumps_name */

static PyObject *
get_dumps_name(void)
{
    if (dumps_name == NULL) {
        dumps_name = PyUnicode_InternFromString("dumps");
    }
    return dumps_name;
}
