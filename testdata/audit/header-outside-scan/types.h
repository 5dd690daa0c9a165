static PyTypeObject Header_Type = { /*~ OV502 Header_Type */
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "hdr.Header",
    .tp_basicsize = sizeof(PyObject),
};
