/* A block-scope static in a part: no other file can name it. */
static PyObject *
get_name(void)
{
    static PyObject *name = NULL; /* ~ OV101 name */
    if (name == NULL) {
        name = PyUnicode_InternFromString("name");
    }
    return name;
}
