// C++ sources are not scanned as C when a folder is walked.
#include <Python.h>
static PyObject *cxx_hpp = NULL;
extern "C" PyObject *get_hpp(void) {
    if (cxx_hpp == NULL) {
        cxx_hpp = PyUnicode_FromString("hpp");
    }
    return cxx_hpp;
}
