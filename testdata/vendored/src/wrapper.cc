// C++ sources are not scanned as C when a folder is walked.
#include <Python.h>
static PyObject *cxx_cc = NULL;
extern "C" PyObject *get_cc(void) {
    if (cxx_cc == NULL) {
        cxx_cc = PyUnicode_FromString("cc");
    }
    return cxx_cc;
}
