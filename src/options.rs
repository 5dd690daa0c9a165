//! The options of a run that more than one stage reads: what the analysis
//! takes for a Python object, and how fixes are written. They live here,
//! below every stage, so that the prefilter, the analysis, the rewriter and
//! the configuration can all depend on them without depending on each
//! other.

/// The include line's default target, with its quotes or brackets.
pub const DEFAULT_RUNTIME_INCLUDE: &str = "\"oncevar.h\"";

/// Pointer typedefs of CPython's public headers, which a scanned file uses
/// without defining: `static PyThread_type_lock lock;` holds memory.
pub const HEADER_POINTER_TYPEDEFS: &[&str] = &["PyThread_type_lock"];

/// What the analysis needs to know beyond the file itself.
#[derive(Clone, Debug, Default)]
pub struct AnalysisOptions {
    /// Extra type names (besides `PyObject` and `Py…Object`) whose pointers
    /// are Python objects.
    pub object_types: Vec<String>,
    /// Extra typedef names that are themselves pointers to Python objects.
    pub object_pointer_typedefs: Vec<String>,
    /// How fixes are written.
    pub rewrite: RewriteOptions,
    /// Read the modules of each unit and report every finding of the
    /// module rules (`oncevar audit`); otherwise only those that contradict
    /// what a module claims.
    pub audit: bool,
    /// Byte offsets, in the text analysed, of the declarators of lazy
    /// sites that another translation unit including the same file runs
    /// without the GIL (OV401): they are published (`Py_ONCEVAR_SET`)
    /// here too, so that every unit rewrites the shared file alike. Empty
    /// but for such a unit's second analysis (`check::scan` fills it).
    pub published: Vec<usize>,
    /// What functions defined in other units of the scan do with a
    /// static's slot handed to them, by (name, argument position), as
    /// their own units read them, for the second analysis of a unit that
    /// hands them one (`check::scan` fills it). Empty otherwise.
    pub outside_slots: std::collections::HashMap<(String, usize), OutsideSlot>,
    /// Byte ranges, in the text analysed, of `Py_MOD_GIL_NOT_USED` claims
    /// made in branches that this unit's build does not compile but
    /// another build may (`#ifdef Py_GIL_DISABLED`, a version test): they
    /// do not change this build's class, yet the module makes the claim
    /// wherever that branch is compiled: a lazy site that would race there
    /// is named so (`Diagnostic::gil_claim_elsewhere`), keeping this
    /// build's class and fix. Empty but for such a unit (`check::scan`
    /// fills it from `analysis::claims::in_uncompiled`).
    pub uncompiled_gil_claims: Vec<std::ops::Range<usize>>,
    /// Byte ranges, in the text analysed, sorted and apart, of the
    /// branches that this unit's build does not compile but another build
    /// may (`scan::cond::View::other_builds`): read as code, so their
    /// statics are sites, but a module claim made there is not this
    /// build's (`analysis::claims::compiled`). Empty without a database.
    pub other_builds: Vec<std::ops::Range<usize>>,
}

impl AnalysisOptions {
    /// Whether a pointer to `name` (a type's text, `struct _object` or a
    /// bare name) points to a Python object.
    pub(crate) fn is_object_type(&self, name: &str) -> bool {
        is_cpython_object_type(name) || self.object_types.iter().any(|t| t == name)
    }
}

/// Whether a pointer to `name` points to a Python object by CPython's own
/// names: `PyObject`, `struct _object`, and the `Py…Object` types
/// (`PyTypeObject`, `PyLongObject`).
pub(crate) fn is_cpython_object_type(name: &str) -> bool {
    name == "PyObject"
        || name == "struct _object"
        || (name.starts_with("Py") && name.ends_with("Object"))
}

/// How the rewriter writes fixes.
#[derive(Clone, Debug)]
pub struct RewriteOptions {
    /// What follows `#include `: `"oncevar.h"` or `<oncevar.h>`.
    pub runtime_include: String,
    /// Whether statics set once outside a NULL guard (OV301) get a fix
    /// too: a per-interpreter slot set in the module's exec slot (the
    /// audit's fix of init-set statics); `false` for `check`, where OV301
    /// is information only.
    pub set_once: bool,
    /// Byte ranges, in the text analysed, sorted and apart, copied from
    /// files that the scan does not rewrite (a header of the unit that is
    /// not scanned), each with that file's display path: a fix with its
    /// declaration or an edit there is shown only (`check`'s
    /// `map_diagnostic`), so the static stays process-wide, and the fixes
    /// that wait on it (its siblings under one guard, the fills past its
    /// NULL test) are unsafe. Empty for a unit whose files are all scanned.
    pub left_out: Vec<(std::ops::Range<usize>, String)>,
}

impl Default for RewriteOptions {
    fn default() -> Self {
        RewriteOptions {
            runtime_include: DEFAULT_RUNTIME_INCLUDE.to_owned(),
            set_once: false,
            left_out: Vec::new(),
        }
    }
}

/// What a helper of the unit does with a static's slot handed to it
/// (`take(&v)`, `peek(&v)`, `fetch(&v)`), read in full
/// (`classify::Context::slot_use`); also what a function of another unit does
/// ([`OutsideSlot`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlotUse {
    /// Stores a value through it, or hands it to a function the unit does
    /// not define: a write of the static.
    Fills,
    /// Stores only NULL through it (`*slot = NULL` after reading it,
    /// `Py_CLEAR(*slot)`): a release that clears the static, the value
    /// handed back or released.
    Clears,
    /// Only reads `*slot` or tests the pointer: a use.
    Reads,
    /// Does with it what oncevar does not follow: why.
    Unknown(String),
}

/// What a function defined in another unit of the scan does with a
/// static's slot handed to it (`fetch_attr(m, a, &v)` with `fetch_attr`
/// defined in util.c), read in its own unit as `classify::Context::slot_use` reads
/// a helper of the unit (`classify::outside_slot_uses`) and handed to the units
/// that call it ([`AnalysisOptions::outside_slots`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutsideSlot {
    /// The file that defines the function, as displayed.
    pub file: String,
    /// What the function does with the slot.
    pub how: SlotUse,
    /// For [`SlotUse::Fills`]: every write through the slot lies under a
    /// NULL test of `*slot` (`classify::Context::helper_guard`), so the function
    /// fills the static only while it is NULL.
    pub guarded: bool,
}
