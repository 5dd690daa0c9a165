/* Tests: file-scope statics declared in both branches of `#ifdef`, each
 * branch with its own function that fills it: two variables, each with its
 * own guard and assignment, each fix editing its own branch. A function
 * after the chain that only reads the name sees either. */
#include <Python.h>

#ifdef MS_WINDOWS
static PyObject *home_var = NULL;   /*~ OV101 home_var */

static PyObject *
get_home_var(void)
{
    if (home_var == NULL) {
        home_var = PyUnicode_FromString("USERPROFILE");
    }
    return home_var;
}
#else
static PyObject *home_var;          /*~ OV101 home_var */

static PyObject *
get_home_var(void)
{
    if (!home_var) {
        home_var = PyUnicode_InternFromString("HOME");
    }
    return home_var;
}
#endif

static PyObject *
home(PyObject *self, PyObject *environ)
{
    PyObject *name = get_home_var();
    if (name == NULL) {
        return NULL;
    }
    (void)home_var;
    return PyObject_GetItem(environ, name);
}
