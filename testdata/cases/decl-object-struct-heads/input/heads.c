/* Tests: an object struct is known by its first member wherever the head
 * is spelled: after a block or line comment, CPython's PyException_HEAD,
 * a macro of the project (from a header, through another macro, defined in
 * two #if branches, continued over lines), or another object struct
 * embedded first after a comment. A static pointer to each is an object
 * cache (OV101, with the object's fix), not process-wide memory (OV201).
 * A struct whose head is only mentioned in a comment is memory. */
#include <Python.h>
#include "include/heads.h"

typedef struct {
    /* the object header must come first */
    PyObject_HEAD
    int fd;
} ConnObject;

typedef struct {
    // variable-size header
    PyObject_VAR_HEAD
    PyObject *items[1];
} RowObject;

typedef struct {
    PyException_HEAD
    PyObject *code;
} ProtoErrorObject;

typedef struct {
    LEAF_HEAD
    int depth;
} LeafObject;

typedef struct {
    TOKEN_HEAD
    int kind;
} TokenObject;

typedef struct {
    /* base class first */ PyBaseExceptionObject base;
    int errno_value;
} OsErrorObject;

typedef struct {
    /* PyObject_HEAD is not needed here */
    int plain;
} PlainState;

extern PyTypeObject Conn_Type, Row_Type, Leaf_Type, Token_Type, Node_Type;

static ConnObject *default_conn;                /*~ OV101 default_conn */
static RowObject *empty_row;                    /*~ OV101 empty_row */
static ProtoErrorObject *default_error;         /*~ OV101 default_error */
static LeafObject *root_leaf;                   /*~ OV101 root_leaf */
static TokenObject *current_token;              /*~ OV101 current_token */
static NodeObject *root_node;                   /*~ OV101 root_node */
static OsErrorObject *last_os_error;            /*~ OV101 last_os_error */
static PlainState *plain_state;                 /*~ OV201 plain_state */

static PyObject *
defaults(PyObject *self, PyObject *unused)
{
    if (default_conn == NULL) {
        default_conn = PyObject_New(ConnObject, &Conn_Type);
        if (default_conn == NULL)
            return NULL;
    }
    if (empty_row == NULL) {
        empty_row = PyObject_NewVar(RowObject, &Row_Type, 0);
        if (empty_row == NULL)
            return NULL;
    }
    if (default_error == NULL) {
        default_error = (ProtoErrorObject *)PyObject_CallNoArgs(PyExc_ValueError);
        if (default_error == NULL)
            return NULL;
    }
    if (root_leaf == NULL) {
        root_leaf = PyObject_New(LeafObject, &Leaf_Type);
        if (root_leaf == NULL)
            return NULL;
    }
    if (current_token == NULL) {
        current_token = (TokenObject *)PyType_GenericAlloc(&Token_Type, 0);
        if (current_token == NULL)
            return NULL;
    }
    if (root_node == NULL) {
        root_node = PyObject_New(NodeObject, &Node_Type);
        if (root_node == NULL)
            return NULL;
    }
    if (last_os_error == NULL) {
        last_os_error = (OsErrorObject *)PyObject_CallNoArgs(PyExc_OSError);
        if (last_os_error == NULL)
            return NULL;
    }
    if (plain_state == NULL) {
        plain_state = PyMem_Calloc(1, sizeof(*plain_state));
        if (plain_state == NULL)
            return PyErr_NoMemory();
    }
    Py_RETURN_NONE;
}
