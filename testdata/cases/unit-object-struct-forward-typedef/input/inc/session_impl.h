/* The struct itself, in another header, after the typedef. */
struct session_s {
    PyObject_HEAD
    long id;
};
