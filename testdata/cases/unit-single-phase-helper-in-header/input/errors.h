/* The module's exceptions, created once by the init's helper. */
#ifndef ERRORS_H
#define ERRORS_H

static PyObject *ParseError = NULL;   /*~ OV101 ParseError */

static int
add_errors(PyObject *m)
{
    if (ParseError == NULL) {
        ParseError = PyErr_NewException("hdr.ParseError", PyExc_ValueError, NULL);
        if (ParseError == NULL) {
            return -1;
        }
    }
    return PyModule_AddObject(m, "ParseError", Py_NewRef(ParseError));
}

#endif
