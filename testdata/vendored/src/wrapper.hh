// C++ sources are not scanned as C when a folder is walked.
#include <Python.h>
static PyObject *cxx_hh = NULL;
extern "C" PyObject *get_hh(void) {
    if (cxx_hh == NULL) {
        cxx_hh = PyUnicode_FromString("hh");
    }
    return cxx_hh;
}
