/* Tests: a cached object copied, without a reference of its own, into
 * storage that outlives the interpreter (the breaker's N5,
 * really-safe/v5-borrowed-handed-out). Before the fix the static kept the
 * object alive for ever; after it each interpreter releases its own object
 * when it finalises, and the copy would point at a freed one. Each is
 * unsafe, the reason naming the store and the path: stored as it is
 * (direct), through a local (via_local), returned by a helper as it is and
 * stored in a member of a static struct (name, the breaker's shape), into
 * an element of a static array (in_table), through a pointer held in a
 * static (through_pointer), handed to a function of the unit that stores
 * its parameter (registered), and a static local (kept_local). `read_kept`
 * hands out what the stores keep: in the next interpreter, after the
 * previous one is gone. */
#include <Python.h>

typedef struct {
    PyObject *enc;
} Codec;

static Codec global_codec;             /*~ OV301 global_codec */
static Codec other_codec;
static Codec *current_codec = &other_codec;
static PyObject *kept_direct;          /*~ OV301 kept_direct */
static PyObject *kept_table[2];        /*~ OV301 kept_table */
static PyObject *kept_registered;

static PyObject *direct = NULL;          /*~ OV101 direct */
static PyObject *via_local = NULL;       /*~ OV101 via_local */
static PyObject *in_table = NULL;        /*~ OV101 in_table */
static PyObject *through_pointer = NULL; /*~ OV101 through_pointer */
static PyObject *registered = NULL;      /*~ OV101 registered */

static PyObject *
utf8_name(void)
{
    static PyObject *name = NULL;        /*~ OV101 name */
    if (name == NULL)
        name = PyUnicode_FromString("oncevar-kept-name");
    return name;
}

static void
register_object(PyObject *o)
{
    kept_registered = o;
}

static PyObject *kept_in_local(PyObject *o);

static PyObject *
setup(PyObject *self, PyObject *unused)
{
    PyObject *v;

    if (direct == NULL) {
        direct = PyUnicode_FromString("oncevar-kept-direct");
        if (direct == NULL)
            return NULL;
    }
    kept_direct = direct;

    if (via_local == NULL) {
        via_local = PyUnicode_FromString("oncevar-kept-via-local");
        if (via_local == NULL)
            return NULL;
    }
    v = via_local;
    kept_table[1] = v;

    if (utf8_name() == NULL)
        return NULL;
    global_codec.enc = utf8_name();

    if (in_table == NULL) {
        in_table = PyUnicode_FromString("oncevar-kept-in-table");
        if (in_table == NULL)
            return NULL;
    }
    kept_table[0] = in_table;

    if (through_pointer == NULL) {
        through_pointer = PyUnicode_FromString("oncevar-kept-through-pointer");
        if (through_pointer == NULL)
            return NULL;
    }
    current_codec->enc = through_pointer;

    if (registered == NULL) {
        registered = PyUnicode_FromString("oncevar-kept-registered");
        if (registered == NULL)
            return NULL;
    }
    register_object(registered);

    if (kept_in_local(NULL) == NULL)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
kept_in_local(PyObject *unused)
{
    static PyObject *kept_local = NULL;  /*~ OV101 kept_local */
    static PyObject *keeper;

    if (kept_local == NULL) {
        kept_local = PyUnicode_FromString("oncevar-kept-local");
        if (kept_local == NULL)
            return NULL;
    }
    keeper = kept_local;
    return keeper;
}

static PyObject *
or_none(PyObject *o)
{
    return Py_NewRef(o != NULL ? o : Py_None);
}

static PyObject *
read_kept(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(NNNNNN)", or_none(kept_direct), or_none(kept_table[1]),
                         or_none(global_codec.enc), or_none(kept_table[0]),
                         or_none(other_codec.enc), or_none(kept_registered));
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_NOARGS, NULL},
    {"read_kept", read_kept, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "kept_process_wide", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_kept_process_wide(void)
{
    return PyModuleDef_Init(&def);
}
