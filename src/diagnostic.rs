//! The one finding type. Every emitter prints a `Diagnostic`; none computes
//! anything of its own, so all formats agree.

use std::fmt;

use serde::Serialize;

pub use crate::analysis::claims::ClaimKind;

pub use crate::rules::Code;

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a site is, as the formats show it (JSON `severity`, SARIF
/// `level` `error`/`warning`/`note`, GitHub `::error`/`::warning`/`::notice`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A bug where the module claims otherwise (isolation, or running
    /// without the GIL).
    Error,
    /// A site to fix.
    Warning,
    /// Worth knowing (a set-once static); SARIF's `note`.
    Info,
}

/// A byte range in a file: `start..end`, `end` exclusive, byte offsets (not
/// characters) from the start of the file's bytes, BOM included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset just past the last byte (`start` for an empty span, which is
    /// an insertion point).
    pub end: usize,
}

impl Span {
    /// The bytes `node` covers in the text it was parsed from.
    pub fn of(node: tree_sitter::Node) -> Span {
        Span {
            start: node.start_byte(),
            end: node.end_byte(),
        }
    }
}

/// 1-based line and column; columns count characters, as editors do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// 1-based line; a line ends with LF.
    pub line: usize,
    /// 1-based column in characters (Unicode scalar values; each byte that
    /// is not UTF-8 counts as one), after a BOM on line 1.
    pub column: usize,
}

/// A span with its positions resolved once, when the finding is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The byte range.
    pub span: Span,
    /// The position of `span.start`.
    pub start: Position,
    /// The position of `span.end`: just past the last character.
    pub end: Position,
}

/// One site: a static variable plus the evidence that makes it one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of site.
    pub code: Code,
    /// The display path (as reached from the scanned PATH argument, escaped
    /// by [`crate::scan::discover::display_path`]).
    pub path: String,
    /// The static's name.
    pub variable: String,
    /// The declared type, qualifiers kept: `const char *`.
    pub type_name: String,
    /// Enclosing function of a block-scope static; `None` at file scope.
    pub function: Option<String>,
    /// The declarator's name.
    pub declarator: Location,
    /// The whole declaration statement.
    pub declaration: Location,
    /// What guards the writes, sorted and once each: the NULL tests under
    /// which a lazy static is filled, or for OV301 the set-once flags
    /// tested around it.
    pub guards: Vec<Location>,
    /// The writes that set it (assignments, or its address given to an
    /// initialising call), sorted and once each. Reports call them
    /// assignments (JSON `assignments`); the analysis calls them writes.
    pub assignments: Vec<Location>,
    /// The calls that release it (`Py_CLEAR`, `Py_XDECREF`, `free`...),
    /// sorted and once each; empty for OV101.
    pub releases: Vec<Location>,
    /// What the site's module claims, and where: its isolation claims for
    /// every code, its claim to run without the GIL for OV401. Related
    /// locations of the finding.
    pub claims: Vec<ModuleClaim>,
    /// The one-sentence finding, naming the type and the variable.
    pub message: String,
    /// The rewrite, when oncevar knows one (`check --diff` / `--fix`).
    pub fix: Option<Fix>,
    /// Whether the build of the site's unit is free-threaded, from its
    /// compilation database entry (`-DPy_GIL_DISABLED`, or the `pyconfig.h`
    /// on its include path); `None` when not known (no database, or the
    /// units that include the file disagree).
    pub free_threading: Option<FreeThreading>,
}

/// What a unit's build says about the GIL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FreeThreading {
    /// `Py_GIL_DISABLED` is defined: a free-threaded CPython.
    pub free_threaded: bool,
    /// What says so: the flag, or the header and line that define it.
    pub evidence: String,
}

/// How far a fix can be trusted, as ruff names it: ordered from the least
/// trusted to the most, so that a threshold reads as "at least this"
/// ([`Fix::applies`]). Serialised as `display-only`, `unsafe`, `safe` (the
/// JSON field is `safety`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown, never applied.
    DisplayOnly,
    /// Applied only with `--unsafe-fixes`; `Fix::reason` says why.
    Unsafe,
    /// Applied by `--fix`.
    Safe,
}

/// A rewrite as data: byte-range edits plus how far it can be trusted.
/// One place (`fix::apply`) sorts, checks and applies edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// How far it can be trusted; decides whether `--fix` applies it
    /// ([`Fix::applies`]).
    pub applicability: Applicability,
    /// Why the fix is not safe, when it is not; for a safe fix, the
    /// ownership rule that decided it, when one did (a borrowed value made
    /// strong, a reference given away).
    pub reason: Option<String>,
    /// The edits, in any order and possibly shared with other sites' fixes
    /// (`fix::apply` sorts them and drops duplicates).
    pub edits: Vec<Edit>,
    /// Whether the project's own compiler command (from the compilation
    /// database) accepted the fixed file: `None` when it was not run (no
    /// database, no unit for the file, or the unit did not compile before
    /// the fix), `Some(false)` when the fix broke the unit and was refused.
    pub verified: Option<bool>,
}

impl Fix {
    /// Whether the fix is trusted at least as far as `threshold` (from
    /// [`UnsafeFixes::required_applicability`](crate::fix::apply::UnsafeFixes::required_applicability)):
    /// a safe fix applies at every threshold, a display-only fix only at
    /// `DisplayOnly`.
    pub fn applies(&self, threshold: Applicability) -> bool {
        self.applicability >= threshold
    }
}

/// Replace the bytes of `location` in the file `path` with `replacement`.
/// A fix can edit several files: a site's uses spread over the files of
/// its translation unit.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edit {
    /// The file the edit applies to, as displayed (`Diagnostic::path` of a
    /// site in that file).
    pub path: String,
    /// The bytes replaced (an empty span inserts), in that file.
    pub location: Location,
    /// The text put in their place.
    pub replacement: String,
    /// What the parse check reads in place of `replacement`, when the
    /// replacement is a macro tree-sitter cannot parse: the C it expands to
    /// (`static T name;` for `Py_ONCEVAR_DECLARE(T, name);`). `None`: the
    /// replacement itself.
    pub parse_as: Option<String>,
}

/// A claim of the site's module, with where it is made.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ModuleClaim {
    /// Which claim.
    pub kind: ClaimKind,
    /// The file the claim is made in: the site's own, or another file of
    /// its translation unit (the claim counts for the whole unit).
    pub path: String,
    /// Where, in that file: the slot entry or the call.
    pub location: Location,
}

impl Diagnostic {
    /// What the unit's build changes for this site, in a sentence, when
    /// the database says whether it is free-threaded and that matters: an
    /// OV401 site races on a free-threaded build and not with the GIL; a
    /// lazy site of a module that does not claim `Py_MOD_GIL_NOT_USED`
    /// makes a free-threaded CPython turn the GIL back on at import.
    pub fn free_threading_note(&self) -> Option<String> {
        let ft = self.free_threading.as_ref()?;
        let evidence = &ft.evidence;
        match (ft.free_threaded, self.code) {
            (true, Code::OV401) => Some(format!(
                "this unit's build is free-threaded ({evidence}): the module runs without the \
                 GIL there, so this lazy initialisation is a data race on this build"
            )),
            (false, Code::OV401) => Some(format!(
                "this unit's build has the GIL ({evidence}): the race needs a free-threaded \
                 build (Py_GIL_DISABLED), where the module's claim takes effect"
            )),
            (true, Code::OV101 | Code::OV102 | Code::OV201) => Some(format!(
                "this unit's build is free-threaded ({evidence}): the module does not claim \
                 Py_MOD_GIL_NOT_USED, so importing it turns the GIL back on; with the GIL forced \
                 off (PYTHON_GIL=0) this lazy initialisation is a data race"
            )),
            _ => None,
        }
    }

    /// The code's severity, raised to an error when the site's module
    /// claims interpreter isolation: a process-wide cache there is a bug.
    pub fn severity(&self) -> Severity {
        if self.claims.iter().any(|c| c.kind.is_isolation()) {
            Severity::Error
        } else {
            self.code.severity()
        }
    }
}
