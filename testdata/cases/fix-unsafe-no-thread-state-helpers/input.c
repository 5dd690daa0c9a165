/* Tests: the GIL released and taken back by functions of the file rather
 * than macros (Pillow's ImagingSectionEnter/Leave storing the thread state
 * through a cookie, a wrapper of such a helper), and by a socketmodule-style
 * macro whose body reads a member with "sock" in its name: a read in between
 * is unsafe. Safe: a read after a call of a function that releases and takes
 * back the GIL itself, and after a call of a callback that takes and gives
 * back the GIL. */
#include <Python.h>

typedef struct { PyThreadState *saved; int fd; } section_t;

#define BEGIN_SOCK_IO(s) { PyThreadState *_save = PyEval_SaveThread(); int _fd = (s)->sock_fd;
#define END_SOCK_IO PyEval_RestoreThread(_save); }

struct sock { int sock_fd; };

static PyObject *in_section = NULL;  /*~ OV101 in_section */
static PyObject *in_wrapped = NULL;  /*~ OV101 in_wrapped */
static PyObject *in_sock = NULL;     /*~ OV101 in_sock */
static PyObject *after_io = NULL;    /*~ OV101 after_io */
static PyObject *after_cb = NULL;    /*~ OV101 after_cb */

static void
section_begin(section_t *section)
{
    section->saved = PyEval_SaveThread();
}

static void
section_end(section_t *section)
{
    PyEval_RestoreThread(section->saved);
}

static void
io_enter(section_t *section)
{
    section->fd = 0;
    section_begin(section);
}

static int
blocking_read(void)
{
    int n;
    Py_BEGIN_ALLOW_THREADS
    n = 0;
    Py_END_ALLOW_THREADS
    return n;
}

static int
notify(void)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyGILState_Release(g);
    return 0;
}

static PyObject *
fill(PyObject *self, PyObject *unused)
{
    section_t section;
    struct sock s = {0};
    int have = 0;
    if (in_section == NULL)
        in_section = PyList_New(0);
    if (in_wrapped == NULL)
        in_wrapped = PyList_New(0);
    if (in_sock == NULL)
        in_sock = PyList_New(0);
    if (after_io == NULL)
        after_io = PyList_New(0);
    if (after_cb == NULL)
        after_cb = PyList_New(0);

    section_begin(&section);
    have += in_section != NULL;
    section_end(&section);

    io_enter(&section);
    have += in_wrapped != NULL;
    section_end(&section);

    BEGIN_SOCK_IO(&s)
    have += _fd + (in_sock != NULL);
    END_SOCK_IO

    have += blocking_read();
    have += after_io != NULL;
    have += notify();
    have += after_cb != NULL;
    return PyLong_FromLong(have);
}

static PyMethodDef methods[] = {
    {"fill", fill, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "no_thread_state_helpers", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_no_thread_state_helpers(void)
{
    return PyModuleDef_Init(&def);
}
