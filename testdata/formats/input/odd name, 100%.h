/* A header whose name needs escaping in GitHub annotations (`,`, `%`) and
 * percent-encoding in SARIF URIs (space, `,`, `%`). */
static inline PyObject *
get_sentinel(void)
{
    static PyObject *sentinel = NULL;
    if (!sentinel) {
        sentinel = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
    }
    return sentinel;
}
