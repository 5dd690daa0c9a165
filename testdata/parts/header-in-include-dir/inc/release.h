/* Read after mod.c declares `cache`. */
static int
mod_clear(PyObject *m)
{
    Py_CLEAR(cache);
    return 0;
}
