/* Part of module.c (a template): CACHE names the static, FUNC the getter,
 * ATTR the text; the part never spells the static's own name. */
static PyObject *
FUNC(void)
{
    if (CACHE == NULL) {
        CACHE = PyUnicode_InternFromString(ATTR);
    }
    return CACHE;
}
