/* Stands for pillow's src/thirdparty/pythoncapi_compat.h: inside a vendored
 * folder, and scanned all the same (the defaults end with
 * !pythoncapi_compat.h): compiled into a module that claims to run without
 * the GIL, its lazy cache is that module's race. */
#ifndef THIRDPARTY_COMPAT_H
#define THIRDPARTY_COMPAT_H
static PyObject *perf_counter = NULL;       /*~ OV401 perf_counter */

static inline PyObject *
compat_perf_counter(void)
{
    if (perf_counter == NULL) {
        PyObject *time = PyImport_ImportModule("time");
        if (time == NULL) {
            return NULL;
        }
        perf_counter = PyObject_GetAttrString(time, "perf_counter");
        Py_DECREF(time);
    }
    return perf_counter;
}
#endif
