/* Tests: a raw pointer INTO a cached object's memory, set under that
 * object's NULL guard (`raw = PyBytes_AS_STRING(blob)` under `blob ==
 * NULL`), owns nothing: no OV201 and no advice to free it (freeing it
 * would crash); the object keeps its own verdict, OV101 with an unsafe
 * fix, since a per-interpreter `blob` refilled by another interpreter
 * would leave the process-wide `raw` pointing into a buffer freed with
 * that interpreter. The pointer spelled through a cast,
 * PyUnicode_AsUTF8AndSize, a function-like macro of the unit, an offset
 * (`+ 1`), PyUnicode_1BYTE_DATA, a local set by a helper of the unit, and
 * a member of the object (`((PyTypeObject *)typ)->tp_name`). Control: a
 * copy the static owns (`strdup`) stays OV201. */
#include <Python.h>
#include <string.h>
#define BYTES_DATA(o) PyBytes_AS_STRING(o)
static PyObject *blob = NULL;            /*~ OV101 blob */
static const char *raw = NULL;
static PyObject *name_obj = NULL;        /*~ OV101 name_obj */
static const char *name_utf8 = NULL;
static Py_ssize_t name_len;
static PyObject *macro_blob = NULL;      /*~ OV101 macro_blob */
static const char *macro_raw = NULL;
static PyObject *off_blob = NULL;        /*~ OV101 off_blob */
static const char *off_raw = NULL;
static PyObject *kinds = NULL;           /*~ OV101 kinds */
static const Py_UCS1 *kinds_data = NULL;
static PyObject *loc = NULL;             /*~ OV101 loc */
static const char *loc_utf8 = NULL;
static PyObject *owned_obj = NULL;       /*~ OV101 owned_obj */
static char *owned_copy = NULL;          /*~ OV201 owned_copy */
static PyObject *typ = NULL;             /*~ OV101 typ */
static const char *typ_name = NULL;

static const char *
utf8_of(PyObject *o)
{
    return PyUnicode_AsUTF8(o);
}

static PyObject *
f(PyObject *self, PyObject *unused)
{
    if (blob == NULL) {
        blob = PyBytes_FromString("abc");
        if (blob == NULL) return NULL;
        raw = (const char *)PyBytes_AS_STRING(blob);
    }
    if (!name_obj) {
        name_obj = PyUnicode_FromString("n");
        if (!name_obj) return NULL;
        name_utf8 = PyUnicode_AsUTF8AndSize(name_obj, &name_len);
    }
    if (macro_blob == NULL) {
        macro_blob = PyBytes_FromString("m");
        if (macro_blob == NULL) return NULL;
        macro_raw = BYTES_DATA(macro_blob);
    }
    if (off_blob == NULL) {
        off_blob = PyBytes_FromString("xyz");
        if (off_blob == NULL) return NULL;
        off_raw = PyBytes_AS_STRING(off_blob) + 1;
    }
    if (kinds == NULL) {
        kinds = PyUnicode_FromString("k");
        if (kinds == NULL) return NULL;
        kinds_data = PyUnicode_1BYTE_DATA(kinds);
    }
    if (loc == NULL) {
        loc = PyUnicode_FromString("l");
        if (loc == NULL) return NULL;
        const char *s = utf8_of(loc);
        if (s == NULL) return NULL;
        loc_utf8 = s;
    }
    if (owned_obj == NULL) {
        owned_obj = PyUnicode_FromString("o");
        if (owned_obj == NULL) return NULL;
        owned_copy = strdup(PyUnicode_AsUTF8(owned_obj));
    }
    if (typ == NULL) {
        typ = PyObject_Type(self);
        typ_name = ((PyTypeObject *)typ)->tp_name;
    }
    return PyUnicode_FromFormat("%s%s%s%s%s%s%s%s", raw, name_utf8, macro_raw, off_raw,
                                (const char *)kinds_data, loc_utf8, owned_copy, typ_name);
}

static PyMethodDef methods[] = {
    {"f", f, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "rawptr", NULL, 0, methods};
PyMODINIT_FUNC PyInit_rawptr(void) { return PyModuleDef_Init(&def); }
