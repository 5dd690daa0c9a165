/* Tests: a helper that fills two or three statics through out-parameters
 * (`init_pair(&s_a, &s_b)`), called in the right operand of `&&` (or `||`)
 * whose left operand tests the first static: every static it fills is
 * filled under that guard, each a lazy site, and they are fixed together
 * or not at all. Spellings: `&&` with `== NULL`, `||` with `!= NULL`, a
 * cast on the address, three out-parameters. Control: a static passed to
 * the helper outside any guard is written unguarded. */
#include <Python.h>

static PyObject *s_a, *s_b;                     /*~ OV101 s_a */ /*~ OV101 s_b */
static PyObject *s_c;                           /*~ OV101 s_c */
static PyObject *s_d;                           /*~ OV101 s_d */
static PyObject *u_1, *u_2;
static int enabled;
static PyObject *t_1, *t_2, *t_3;               /*~ OV101 t_1 */ /*~ OV101 t_2 */ /*~ OV101 t_3 */

static int
init_pair(PyObject **a, PyObject **b)
{
    *a = PyUnicode_InternFromString("a");
    *b = PyUnicode_InternFromString("b");
    return (*a && *b) ? 0 : -1;
}

static int
init_three(PyObject **x, PyObject **y, PyObject **z)
{
    *x = PyLong_FromLong(1);
    *y = PyLong_FromLong(2);
    *z = PyLong_FromLong(3);
    return (*x && *y && *z) ? 0 : -1;
}

static PyObject *
pair(PyObject *self, PyObject *unused)
{
    if (s_a == NULL && init_pair(&s_a, &s_b) < 0)
        return NULL;
    return PyTuple_Pack(2, s_a, s_b);
}

static PyObject *
other_pair(PyObject *self, PyObject *unused)
{
    if (s_c != NULL || init_pair((PyObject **)&s_c, &s_d) == 0)
        return PyTuple_Pack(2, s_c, s_d);
    return NULL;
}

static PyObject *
three(PyObject *self, PyObject *unused)
{
    if (!t_1 && init_three(&t_1, &t_2, &t_3) < 0)
        return NULL;
    return PyTuple_Pack(3, t_1, t_2, t_3);
}

/* Control: the left operand tests no static the helper fills. */
static PyObject *
unguarded_pair(PyObject *self, PyObject *unused)
{
    if (enabled && init_pair(&u_1, &u_2) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"unguarded_pair", unguarded_pair, METH_NOARGS, NULL},
    {"pair", pair, METH_NOARGS, NULL},
    {"other_pair", other_pair, METH_NOARGS, NULL},
    {"three", three, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "outp", NULL, 0, methods};
PyMODINIT_FUNC PyInit_outp(void) { return PyModuleDef_Init(&def); }
