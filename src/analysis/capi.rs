//! The layouts of the C API's structs whose initialisers name functions
//! (`PyTypeObject`, `PyModuleDef`, `PyMethodDef`, `PyGetSetDef`,
//! `PyType_Slot`), as the call graph reads them: member names in
//! declaration order, so a positional initialiser names its members
//! (CPython's `Include/cpython/object.h` and `Include/moduleobject.h`).

/// The members of `PyTypeObject` in declaration order after its head
/// (`PyVarObject_HEAD_INIT(…)`), so a positional initialiser names them.
pub const TYPE_MEMBERS: &[&str] = &[
    "tp_name",
    "tp_basicsize",
    "tp_itemsize",
    "tp_dealloc",
    "tp_vectorcall_offset",
    "tp_getattr",
    "tp_setattr",
    "tp_as_async",
    "tp_repr",
    "tp_as_number",
    "tp_as_sequence",
    "tp_as_mapping",
    "tp_hash",
    "tp_call",
    "tp_str",
    "tp_getattro",
    "tp_setattro",
    "tp_as_buffer",
    "tp_flags",
    "tp_doc",
    "tp_traverse",
    "tp_clear",
    "tp_richcompare",
    "tp_weaklistoffset",
    "tp_iter",
    "tp_iternext",
    "tp_methods",
    "tp_members",
    "tp_getset",
    "tp_base",
    "tp_dict",
    "tp_descr_get",
    "tp_descr_set",
    "tp_dictoffset",
    "tp_init",
    "tp_alloc",
    "tp_new",
    "tp_free",
    "tp_is_gc",
    "tp_bases",
    "tp_mro",
    "tp_cache",
    "tp_subclasses",
    "tp_weaklist",
    "tp_del",
    "tp_version_tag",
    "tp_finalize",
    "tp_vectorcall",
];

/// The members of `PyModuleDef` in declaration order.
pub const MODULE_DEF_MEMBERS: &[&str] = &[
    "m_base",
    "m_name",
    "m_doc",
    "m_size",
    "m_methods",
    "m_slots",
    "m_traverse",
    "m_clear",
    "m_free",
];

/// `PyModuleDef.m_name`.
pub const M_NAME: &str = "m_name";
/// `PyModuleDef.m_size`.
pub const M_SIZE: &str = "m_size";
/// `PyModuleDef.m_methods`.
pub const M_METHODS: &str = "m_methods";
/// `PyModuleDef.m_slots`.
pub const M_SLOTS: &str = "m_slots";
/// `PyModuleDef.m_traverse`.
pub const M_TRAVERSE: &str = "m_traverse";
/// `PyModuleDef.m_clear`.
pub const M_CLEAR: &str = "m_clear";
/// `PyModuleDef.m_free`.
pub const M_FREE: &str = "m_free";
/// `PyMethodDef.ml_meth`.
pub const ML_METH: &str = "ml_meth";
/// `PyGetSetDef.get`.
pub const GETSET_GET: &str = "get";
/// `PyGetSetDef.set`.
pub const GETSET_SET: &str = "set";
/// `PyType_Slot.slot` (and `PyModuleDef_Slot.slot`).
pub const SLOT: &str = "slot";

/// Names of pointers no one stores owns: `NULL` and the C library's
/// standard streams (C11 7.21.1).
pub const UNOWNED_NAMES: &[&str] = &["NULL", "stdin", "stdout", "stderr"];

/// Objects of the C library whose pointers lead into storage the library
/// keeps (nothing to free): `tzname`, set by `tzset` (POSIX), and
/// `environ`, the environment's strings (POSIX).
pub const UNOWNED_STORAGE: &[&str] = &["tzname", "environ"];

/// Functions whose returned pointer the caller does not own (nothing to
/// free): memory of the C library (`getenv`, `setlocale`, `localeconv`,
/// `nl_langinfo`, `strerror`, `dlerror` return static or environment
/// storage, C11 7.22.4.6, 7.11.1.1, 7.11.2.1, 7.24.6.2 and POSIX; so do
/// `asctime`, `ctime`, `gmtime` and `localtime`, C11 7.27.3, and POSIX's
/// `getpwuid`, `getpwnam`, `getgrgid`, `getgrnam`, `getlogin`, `ttyname`,
/// `strsignal`, `inet_ntoa` and `gai_strerror`, whose results "may point
/// to a static area"), CPython's `Py_GETENV` (`getenv` or NULL,
/// Include/cpython/pydebug.h), a symbol's address (`dlsym`), a pointer
/// into the argument (`strchr`, `strrchr`, `strstr`, `strpbrk`, `memchr`,
/// `strtok`, C11 7.24.5; POSIX's `basename` and `dirname`, into the
/// argument or static storage), a pointer into the searched table
/// (`bsearch`, C11 7.22.5.1; POSIX's `lfind` and `lsearch`), and the C API's pointers into memory an
/// object, a module or CPython keeps (CPython's C API documentation: a
/// capsule's pointer, a bytes or str object's buffer, a str object's
/// canonical or `Py_UNICODE` representation (`PyUnicode_1BYTE_DATA`…,
/// "a pointer to the canonical representation"; `PyUnicode_AS_UNICODE`,
/// "a read-only pointer to the Unicode object's internal Py_UNICODE
/// buffer", up to 3.11), a subclass's data in an object
/// (`PyObject_GetTypeData`), an exception class's `tp_name`
/// (`PyExceptionClass_Name`), the `Py_buffer` inside a memoryview or a
/// pickle buffer object (`PyMemoryView_GET_BUFFER`, "a pointer to the
/// memoryview's private copy of the exporter's buffer";
/// `PyPickleBuffer_GetBuffer`), a module's state, definition, name or file
/// name, the version strings and the default encoding's name, and the
/// paths of the pre-3.13 configuration calls, which "point into static
/// storage" (`Py_GetProgramName`…)). CPython's reference data cannot tell
/// these: refcounts.dat lists a pointer return with no ownership, the
/// borrowed `PyUnicode_AsUTF8` and the owned `PyUnicode_AsWideCharString`
/// (to be freed with `PyMem_Free`) alike (refcounts::table::SCALARS).
pub const UNOWNED_RETURNS: &[&str] = &[
    "getenv",
    "secure_getenv",
    "Py_GETENV",
    "asctime",
    "ctime",
    "gmtime",
    "localtime",
    "getpwuid",
    "getpwnam",
    "getgrgid",
    "getgrnam",
    "getlogin",
    "ttyname",
    "strsignal",
    "inet_ntoa",
    "gai_strerror",
    "memchr",
    "strtok",
    "basename",
    "dirname",
    "setlocale",
    "localeconv",
    "nl_langinfo",
    "strerror",
    "dlerror",
    "dlsym",
    "strchr",
    "strrchr",
    "strstr",
    "strpbrk",
    "bsearch",
    "lfind",
    "lsearch",
    "PyCapsule_Import",
    "PyCapsule_GetPointer",
    "PyCapsule_GetContext",
    "PyCapsule_GetName",
    "PyUnicode_AsUTF8",
    "PyUnicode_AsUTF8AndSize",
    "PyUnicode_DATA",
    "PyUnicode_1BYTE_DATA",
    "PyUnicode_2BYTE_DATA",
    "PyUnicode_4BYTE_DATA",
    "PyUnicode_AS_UNICODE",
    "PyUnicode_AS_DATA",
    "PyUnicode_AsUnicode",
    "PyUnicode_AsUnicodeAndSize",
    "PyUnicode_GetDefaultEncoding",
    "PyObject_GetTypeData",
    "PyExceptionClass_Name",
    "PyBytes_AsString",
    "PyBytes_AS_STRING",
    "PyByteArray_AsString",
    "PyByteArray_AS_STRING",
    "PyMemoryView_GET_BUFFER",
    "PyPickleBuffer_GetBuffer",
    "PyModule_GetState",
    "PyModule_GetDef",
    "PyModule_GetName",
    "PyModule_GetFilename",
    "PyType_GetModuleState",
    "PyType_GetSlot",
    "PyEval_GetFuncName",
    "PyEval_GetFuncDesc",
    "Py_GetVersion",
    "Py_GetPlatform",
    "Py_GetCopyright",
    "Py_GetCompiler",
    "Py_GetBuildInfo",
    "Py_GetProgramName",
    "Py_GetProgramFullPath",
    "Py_GetPrefix",
    "Py_GetExecPrefix",
    "Py_GetPath",
    "Py_GetPythonHome",
];

/// CPython's macros that assign the object pointer they are given as first
/// argument (`Include/object.h`).
pub const WRITING_MACROS: &[&str] = &["Py_CLEAR", "Py_SETREF", "Py_XSETREF"];

/// What the C API's thread-state calls and statement macros do to the
/// calling thread's state: `true` where it ends up without one (the GIL
/// released), `false` where it holds one again. From CPython's
/// `Include/ceval.h` (`Py_BEGIN_ALLOW_THREADS` saves the thread state,
/// `Py_BLOCK_THREADS` restores it inside that block, `Py_UNBLOCK_THREADS`
/// saves it again) and `Include/pystate.h` (`PyGILState_Ensure` and
/// `PyGILState_Release`); the lock calls are the pre-3.2 spelling of
/// `PyEval_AcquireThread`.
pub const THREAD_STATE_CALLS: &[(&str, bool)] = &[
    ("Py_BEGIN_ALLOW_THREADS", true),
    ("Py_UNBLOCK_THREADS", true),
    ("PyEval_SaveThread", true),
    ("PyEval_ReleaseThread", true),
    ("PyEval_ReleaseLock", true),
    ("PyGILState_Release", true),
    ("Py_END_ALLOW_THREADS", false),
    ("Py_BLOCK_THREADS", false),
    ("PyEval_RestoreThread", false),
    ("PyEval_AcquireThread", false),
    ("PyEval_AcquireLock", false),
    ("PyGILState_Ensure", false),
];
