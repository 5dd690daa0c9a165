/* A template part: no include guard, read once per NAME. */
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

static PyObject *CAT(cache_, NAME);  /*~ OV101 cache_one */ /*~ OV102 cache_two */ /*~ OV101 cache_three */

static PyObject *
CAT(get_, NAME)(void)
{
    static PyObject *local = NULL;              /*~ OV101 local */
    if (local == NULL)
        local = PyUnicode_FromString("local");
    if (CAT(cache_, NAME) == NULL)
        CAT(cache_, NAME) = PyUnicode_FromString("x");
    return CAT(cache_, NAME);
}
#undef CAT
#undef CAT2
