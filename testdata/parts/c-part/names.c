/* Part of main.c (unity build): not compiled alone. */
static PyObject *loads_name = NULL; /* ~ OV102 loads_name */

static PyObject *
get_loads_name(void)
{
    if (loads_name == NULL) {
        loads_name = PyUnicode_InternFromString("loads");
    }
    return loads_name;
}
