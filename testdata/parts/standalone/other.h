/* A part that includes no header of the C API, and that no file of the
 * project includes: its includer is elsewhere, so its uses are unknown. */
static PyObject *part_cache = NULL; /* ~ OV101 part_cache */

static PyObject *
part_get(void)
{
    if (part_cache == NULL) {
        part_cache = PyDict_New();
    }
    return part_cache;
}
