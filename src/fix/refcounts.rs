//! What the C API returns: a new (strong) reference or a borrowed one. An
//! object slot owns a strong reference, because the runtime releases it
//! when the interpreter finalises; storing a borrowed reference there would
//! turn a harmless cache into an over-release at exit. Calls not listed
//! follow the C API's convention and return new references.
//!
//! Our own table, written from the C API documentation's reference-count
//! annotations.

/// Functions and macros that return a borrowed reference.
const BORROWED: &[&str] = &[
    // dict
    "PyDict_GetItem",
    "PyDict_GetItemString",
    "PyDict_GetItemWithError",
    "PyDict_SetDefault",
    "_PyDict_GetItemId",
    "_PyDict_GetItemIdWithError",
    "_PyDict_GetItemStringWithError",
    "_PyDict_GetItemWithError",
    "_PyDict_GetItem_KnownHash",
    // tuple, list, sequence, struct sequence
    "PyTuple_GetItem",
    "PyTuple_GET_ITEM",
    "PyList_GetItem",
    "PyList_GET_ITEM",
    "PySequence_Fast_GET_ITEM",
    "PyStructSequence_GetItem",
    "PyStructSequence_GET_ITEM",
    // modules, import, sys
    "PyModule_GetDict",
    "PyImport_GetModuleDict",
    "PyImport_AddModule",
    "PyImport_AddModuleObject",
    "PyState_FindModule",
    "PySys_GetObject",
    "_PySys_GetObjectId",
    "PyType_GetModule",
    "PyType_GetModuleByDef",
    // frames and evaluation state
    "PyEval_GetBuiltins",
    "PyEval_GetGlobals",
    "PyEval_GetLocals",
    "PyEval_GetFrame",
    "PyThreadState_GetDict",
    "PyInterpreterState_GetDict",
    "PyErr_Occurred",
    // functions, methods, cells, weak references
    "PyFunction_GetCode",
    "PyFunction_GetGlobals",
    "PyFunction_GetModule",
    "PyFunction_GetDefaults",
    "PyFunction_GetClosure",
    "PyFunction_GetAnnotations",
    "PyFunction_GET_CODE",
    "PyFunction_GET_GLOBALS",
    "PyMethod_Function",
    "PyMethod_Self",
    "PyMethod_GET_FUNCTION",
    "PyMethod_GET_SELF",
    "PyInstanceMethod_Function",
    "PyCell_GET",
    "PyWeakref_GetObject",
    "PyWeakref_GET_OBJECT",
    "PyCFunction_GetSelf",
    "PyCFunction_GET_SELF",
    // exceptions
    "PyException_GetTraceback_Borrowed",
    "PyUnicodeDecodeError_GetEncoding_Borrowed",
    // descriptors and types
    "_PyType_Lookup",
    "_PyType_LookupId",
    "PyDescr_NAME",
    "Py_TYPE",
    "_PyObject_GetDictPtr",
];

/// Global objects that are borrowed when named (`v = Py_None;`).
const BORROWED_GLOBALS: &[&str] = &[
    "Py_None",
    "Py_True",
    "Py_False",
    "Py_Ellipsis",
    "Py_NotImplemented",
];

/// Calls that steal a reference to one argument (by position): passing a
/// static there without a new reference leaves the static borrowing.
const STEALS: &[(&str, usize)] = &[
    ("PyModule_AddObject", 2),
    ("PyModule_Add", 2),
    ("PyTuple_SetItem", 2),
    ("PyTuple_SET_ITEM", 2),
    ("PyList_SetItem", 2),
    ("PyList_SET_ITEM", 2),
    ("PyStructSequence_SetItem", 2),
    ("PyStructSequence_SET_ITEM", 2),
    ("PyException_SetCause", 1),
    ("PyException_SetContext", 1),
];

/// The argument position whose reference `callee` steals, if any.
pub fn stolen_argument(callee: &str) -> Option<usize> {
    STEALS
        .iter()
        .find(|(name, _)| *name == callee)
        .map(|&(_, at)| at)
}

/// How a value expression hands over its reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ownership {
    /// A new reference (or unknown, which the C API convention makes new).
    New,
    /// A borrowed reference: the slot must take a strong one.
    Borrowed,
}

/// Classifies a value by its outermost call or form: `f(...)`, `&Type`,
/// `Py_None`, `PyExc_...`. `callee` is the called function's name, if the
/// value is a call; `address_of` is true for `&x`.
pub fn ownership(callee: Option<&str>, address_of: bool, name: Option<&str>) -> Ownership {
    if address_of {
        return Ownership::Borrowed;
    }
    if let Some(callee) = callee {
        return if BORROWED.contains(&callee) {
            Ownership::Borrowed
        } else {
            Ownership::New
        };
    }
    match name {
        Some(n) if BORROWED_GLOBALS.contains(&n) || n.starts_with("PyExc_") => Ownership::Borrowed,
        _ => Ownership::New,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowed_and_new_references() {
        assert_eq!(
            ownership(Some("PyDict_GetItemString"), false, None),
            Ownership::Borrowed
        );
        assert_eq!(
            ownership(Some("PyTuple_GET_ITEM"), false, None),
            Ownership::Borrowed
        );
        assert_eq!(
            ownership(Some("PyUnicode_FromString"), false, None),
            Ownership::New
        );
        assert_eq!(ownership(Some("load_thing"), false, None), Ownership::New);
        assert_eq!(ownership(None, true, None), Ownership::Borrowed);
        assert_eq!(ownership(None, false, Some("Py_None")), Ownership::Borrowed);
        assert_eq!(
            ownership(None, false, Some("PyExc_ValueError")),
            Ownership::Borrowed
        );
        assert_eq!(ownership(None, false, Some("local")), Ownership::New);
        assert_eq!(stolen_argument("PyModule_AddObject"), Some(2));
        assert_eq!(stolen_argument("PyModule_AddObjectRef"), None);
    }
}
