// C++ sources are not scanned as C when a folder is walked.
#include <Python.h>
static PyObject *cxx_cpp = NULL;
extern "C" PyObject *get_cpp(void) {
    if (cxx_cpp == NULL) {
        cxx_cpp = PyUnicode_FromString("cpp");
    }
    return cxx_cpp;
}
