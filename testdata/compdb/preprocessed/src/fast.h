/* Included by fast.c, built with -DFAST, and by slow.c, built without:
 * a site of the one unit, and no site of the other. */
#ifdef FAST
static PyObject *fast_table = NULL; /*~ OV101 fast_table */

static PyObject *
get_fast_table(void)
{
    if (fast_table == NULL) {
        fast_table = PyDict_New();
    }
    return fast_table;
}
#endif
