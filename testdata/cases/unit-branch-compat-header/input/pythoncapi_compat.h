/* A vendored compatibility header: the same static in both branches of a
 * version test, each filled by its own code. */
#ifndef COMPAT_H
#define COMPAT_H

#if PY_VERSION_HEX < 0x030D0000
static inline PyObject *
Compat_PerfCounterObject(void)
{
#if PY_VERSION_HEX >= 0x03070000
    static PyObject *func = NULL;   /*~ OV101 func */
    if (func == NULL) {
        PyObject *time = PyImport_ImportModule("time");
        if (time == NULL) {
            return NULL;
        }
        func = PyObject_GetAttrString(time, "perf_counter");
        Py_DECREF(time);
        if (func == NULL) {
            return NULL;
        }
    }
    return PyObject_CallNoArgs(func);
#else
    static PyObject *func = NULL;   /*~ OV101 func */
    if (func == NULL) {
        func = PyImport_ImportModule("time");
        if (func == NULL) {
            return NULL;
        }
    }
    return PyObject_CallMethod(func, "time", NULL);
#endif
}
#endif

#endif
