/* Tests: the entries' pasting macro in a header, and the helper that
 * walks the table it is handed (`fill_slots(keywords)` under kw_first's
 * guard): kw_key and kw_value are filled through the table, so no fix is
 * safe, kw_first's neither (declared apart: the statics of one guard are
 * fixed together or not at all). */
#include "slots.h"

static PyObject *kw_first;                       /*~ OV101 kw_first */
static PyObject *kw_key, *kw_value;              /*~ OV101 kw_key */ /*~ OV101 kw_value */

static const struct kw_slot keywords[] = { KW(key), KW(value), { NULL, NULL } };

static PyObject *
kw(PyObject *self, PyObject *unused)
{
    if (kw_first == NULL) {
        kw_first = PyUnicode_InternFromString("first");
        if (kw_first == NULL)
            return NULL;
        if (fill_slots(keywords) < 0)
            return NULL;
    }
    return PyTuple_Pack(3, kw_first, kw_key, kw_value);
}

static PyMethodDef methods[] = {{"kw", kw, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "kwmod", NULL, 0, methods};
PyMODINIT_FUNC PyInit_kwmod(void) { return PyModuleDef_Init(&def); }
