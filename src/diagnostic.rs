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
    /// A claim to run without the GIL (`Py_MOD_GIL_NOT_USED`) that the
    /// site's module makes in a branch this unit's build does not compile
    /// but another may (`#ifdef Py_GIL_DISABLED`, a version test), when
    /// the site would race there (it is OV401 for that build). The finding
    /// keeps this build's class and fix, and says so
    /// ([`Diagnostic::free_threading_note`]). `None` otherwise.
    pub gil_claim_elsewhere: Option<ModuleClaim>,
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
    /// Applied only with `--unsafe-fixes`; [`Fix::reasons`] say why.
    Unsafe,
    /// Applied by `--fix`.
    Safe,
}

/// A rewrite as data: byte-range edits plus how far it can be trusted,
/// and why. One place (`fix::apply`) sorts, checks and applies edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// How far it can be trusted; decides whether `--fix` applies it
    /// ([`Fix::applies`]). Lowered with [`Fix::block`], which records why.
    pub applicability: Applicability,
    /// Why the fix is not safe, when it is not; for a safe fix, the rules
    /// that decided it, when one did (a borrowed value made strong, a
    /// reference given away). Sorted by message and once each, by
    /// construction.
    reasons: Vec<Reason>,
    /// The edits, sorted and once each, by construction ([`Edits`]);
    /// possibly shared with other sites' fixes (a declaration of several
    /// statics, the runtime include).
    edits: Edits,
    /// Whether the project's own compiler command (from the compilation
    /// database) accepted the fixed file: `None` when it was not run (no
    /// database, no unit for the file, or the unit did not compile before
    /// the fix), `Some(false)` when the fix broke the unit and was refused.
    pub verified: Option<bool>,
    /// Why a fix that a unit of the database checked is not verified: an
    /// edited line the build does not compile (`line 30 is not compiled by
    /// this build (`#ifdef _MSC_VER` at line 27)`), a unit that does not
    /// compile as it is, a command the trust rule does not run; `None`
    /// otherwise.
    pub verification_note: Option<String>,
    /// The functions of the unit that other units call (external linkage,
    /// reached by none of the unit's own roots) through which a write of
    /// the variable is reached: whether a single-phase init of another unit
    /// calls one is for the scan to tell, which links the walked tree's
    /// units by name. Empty for most fixes.
    pub outside_entries: Vec<OutsideEntry>,
    /// The functions of the unit that other units call through which a
    /// use of the variable (any reference: a read, a write, a release) is
    /// reached: whether another unit calls one where no thread state is
    /// held (an exit hook, a thread of its own, between
    /// `Py_BEGIN_ALLOW_THREADS` and `Py_END_ALLOW_THREADS`) is for the scan
    /// to tell, as for [`Fix::outside_entries`]. Empty for most fixes.
    pub outside_uses: Vec<OutsideEntry>,
    /// The functions using the variable that the unit hands to a function
    /// it does not define, which may keep them for an exit hook: what that
    /// function does with them is for the scan to tell, which reads the
    /// unit of the walked tree that defines it. Empty for most fixes.
    pub handed_away: Vec<HandedAway>,
    /// The functions of the unit with external linkage that return the
    /// variable's object without a new reference: what the other units of
    /// the walked tree that call them do with it (keep it in storage that
    /// outlives the interpreter, as `alias = get_cache_borrowed();`) is for
    /// the scan to tell. Empty for most fixes.
    pub kept_outside: Vec<KeptOutside>,
}

/// A function returning a fix's object as it is, that other translation
/// units may call and keep the object from ([`Fix::kept_outside`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptOutside {
    /// The function.
    pub function: String,
    /// The fix's variable.
    pub variable: String,
    /// How the object got to the function's `return` (clauses for the
    /// reason, the return's own last: `` returned by `get` (line 7)
    /// without a new reference ``).
    pub how: Vec<String>,
}

/// A function using a fix's variable, handed to a function of another
/// translation unit ([`Fix::handed_away`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandedAway {
    /// The function it is handed to, or the variable it is stored in.
    pub callee: String,
    /// The argument's position (0-based); `None` for a variable with
    /// external linkage that the function is stored in.
    pub position: Option<usize>,
    /// The start of the reason: which function uses the variable, and
    /// which call hands it (`` `camera_list` is used in `camera_quit`, and
    /// `list_cameras` hands `camera_quit` to `register_quit` ``).
    pub message: String,
    /// Where the call is.
    pub at: Option<FileLocation>,
}

/// A write (or a use) of a fix's variable reached from a function that
/// only other translation units call ([`Fix::outside_entries`],
/// [`Fix::outside_uses`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutsideEntry {
    /// The function other units call.
    pub entry: String,
    /// The functions from `entry` to the one holding the write (or use),
    /// both included, each with where it is defined.
    pub path: Vec<(String, Option<FileLocation>)>,
    /// The variable.
    pub variable: String,
    /// Where the write (or use) is.
    pub at: Option<FileLocation>,
}

impl Fix {
    /// A fix of `applicability` with its `reasons` (in any order, repeats
    /// dropped: see [`Fix::reasons`]) and `edits` (in any order, repeats
    /// dropped: see [`Edits`]), not verified. Edits that overlap cannot be
    /// applied together: such a fix is display-only, with the reason.
    pub fn new(applicability: Applicability, reasons: Vec<Reason>, edits: Vec<Edit>) -> Fix {
        let mut fix = Fix {
            applicability,
            reasons: Vec::new(),
            edits: Edits::new(edits),
            verified: None,
            verification_note: None,
            outside_entries: Vec::new(),
            outside_uses: Vec::new(),
            handed_away: Vec::new(),
            kept_outside: Vec::new(),
        };
        fix.add(reasons);
        fix.check_disjoint(overlapping_rewrite);
        fix
    }

    /// The edits: sorted by file and position, each once, and disjoint
    /// unless the fix is display-only.
    pub fn edits(&self) -> &Edits {
        &self.edits
    }

    /// Moves every edit with `place` (from a translation unit's text to
    /// the file it lies in, say); an edit it gives no place for blocks the
    /// fix with the reason it gives instead.
    pub fn map_edits(&mut self, mut place: impl FnMut(&Edit) -> Result<Edit, Reason>) {
        let mut reasons = Vec::new();
        let mut edits = Vec::new();
        for edit in self.edits.iter() {
            match place(edit) {
                Ok(moved) => edits.push(moved),
                Err(reason) => reasons.push(reason),
            }
        }
        self.edits = Edits::new(edits);
        self.block(reasons);
        self.check_disjoint(overlapping_rewrite);
    }

    /// Makes a fix whose edits overlap display-only, with the reason
    /// `why` gives: no order applies them.
    fn check_disjoint(&mut self, why: impl FnOnce(&Overlap) -> Reason) {
        if let Some(overlap) = self.edits.overlap() {
            self.block([why(&overlap)]);
            self.applicability = Applicability::DisplayOnly;
        }
    }

    /// Whether the fix is trusted at least as far as `threshold` (from
    /// [`UnsafeFixes::required_applicability`](crate::fix::apply::UnsafeFixes::required_applicability)):
    /// a safe fix applies at every threshold, a display-only fix only at
    /// `DisplayOnly`.
    pub fn applies(&self, threshold: Applicability) -> bool {
        self.applicability >= threshold
    }

    /// Why the fix is unsafe (or, for a safe fix, the rules that decided
    /// it): sorted by message, each message once.
    pub fn reasons(&self) -> &[Reason] {
        &self.reasons
    }

    /// The reasons' messages joined with `"; "`, as one sentence for the
    /// human report and for the `reason` field that JSON and SARIF keep;
    /// `None` without a reason.
    pub fn reason(&self) -> Option<String> {
        let messages: Vec<&str> = self.reasons.iter().map(|r| r.message.as_str()).collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }

    /// Makes the fix unsafe for `reasons` (a display-only fix stays
    /// display-only). A safe fix's reasons were the rules that decided it,
    /// not why it is unsafe: they go.
    pub fn block(&mut self, reasons: impl IntoIterator<Item = Reason>) {
        let reasons: Vec<Reason> = reasons.into_iter().collect();
        if reasons.is_empty() {
            return;
        }
        if self.applicability == Applicability::Safe {
            self.applicability = Applicability::Unsafe;
            self.reasons.clear();
        }
        self.add(reasons);
    }

    /// Adds `notes` to a safe fix: facts the fix rests on that a reader
    /// should know (an include linked by its name, say). An unsafe fix's
    /// reasons say why it is unsafe, so it takes none.
    pub fn note(&mut self, notes: impl IntoIterator<Item = Reason>) {
        if self.applicability == Applicability::Safe {
            self.add(notes.into_iter().collect());
        }
    }

    /// Takes in the fix that another translation unit made for the same
    /// site: its edits too, the lower applicability of the two, and the
    /// reasons of the fixes at that applicability.
    pub fn absorb(&mut self, other: Fix) {
        self.edits.extend(other.edits.0);
        match other.applicability.cmp(&self.applicability) {
            std::cmp::Ordering::Less => {
                self.applicability = other.applicability;
                self.reasons = other.reasons;
            }
            std::cmp::Ordering::Equal => self.add(other.reasons),
            std::cmp::Ordering::Greater => {}
        }
        self.check_disjoint(|overlap| {
            Reason::new(
                ReasonKind::Unit,
                format!(
                    "the units that include `{}` rewrite it differently: their edits overlap \
                     (at byte {}) and cannot be applied together",
                    overlap.path, overlap.start
                ),
            )
        });
    }

    /// Moves every reason's location with `relocate` (from a translation
    /// unit's text to the file it lies in, say); a location it gives no
    /// place for is dropped, the reason kept.
    pub fn relocate(&mut self, relocate: impl Fn(&FileLocation) -> Option<FileLocation>) {
        for reason in &mut self.reasons {
            reason.location = reason.location.as_ref().and_then(&relocate);
        }
        for entry in self
            .outside_entries
            .iter_mut()
            .chain(&mut self.outside_uses)
        {
            for (_, at) in &mut entry.path {
                *at = at.as_ref().and_then(&relocate);
            }
            entry.at = entry.at.as_ref().and_then(&relocate);
        }
        for away in &mut self.handed_away {
            away.at = away.at.as_ref().and_then(&relocate);
        }
    }

    /// Adds reasons, keeping the list sorted by message with each message
    /// once (the first location given for it stays).
    fn add(&mut self, reasons: Vec<Reason>) {
        self.reasons.extend(reasons);
        self.reasons.sort_by(|a, b| a.message.cmp(&b.message));
        self.reasons.dedup_by(|a, b| a.message == b.message);
    }
}

/// Why a fix whose own edits overlap is display-only.
fn overlapping_rewrite(overlap: &Overlap) -> Reason {
    Reason::new(
        ReasonKind::Rewrite,
        format!(
            "the rewrite's own edits overlap in `{}` (an edit at byte {} starts before the \
             previous one ends, at byte {}), a defect of oncevar: the fix can be shown, not \
             applied",
            overlap.path, overlap.start, overlap.previous_end
        ),
    )
}

/// One reason of a fix: what kind of fact it rests on, the sentence shown
/// to the user, and the place it names, if one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reason {
    /// What the reason rests on.
    pub kind: ReasonKind,
    /// One sentence, naming the static and what it found (no `;`: the
    /// joined [`Fix::reason`] separates reasons with it).
    pub message: String,
    /// The place it names (a use, a call, an include), in the file it is
    /// in; `None` when it is about the whole site or unit.
    pub location: Option<FileLocation>,
}

impl Reason {
    /// A reason of `kind` with no place of its own.
    pub fn new(kind: ReasonKind, message: impl Into<String>) -> Reason {
        Reason {
            kind,
            message: message.into(),
            location: None,
        }
    }

    /// The same reason, naming `location` in the file `path`.
    pub fn at(self, path: &str, location: Location) -> Reason {
        Reason {
            location: Some(FileLocation {
                path: path.to_owned(),
                location,
            }),
            ..self
        }
    }
}

/// What a fix's reason rests on, by kind: reports and tools can group or
/// filter by it (JSON and SARIF carry it, in kebab-case: `init-phase`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonKind {
    /// Who owns the reference the slot stores: a borrowed value made
    /// strong, a reference given away, or a value whose ownership is not
    /// known.
    Ownership,
    /// A macro names, writes or pastes the static, or would break the
    /// runtime header where it is included.
    Macro,
    /// The static's address leaves the function, or is written by code
    /// whose effect is not known.
    Address,
    /// The declaration: declared twice in one scope, or set to something
    /// other than NULL where it is declared.
    Declaration,
    /// When the static is set: only while a single-phase module
    /// initialises, or under a process-wide flag.
    InitPhase,
    /// Other statics that stand or fall with it: filled under the same
    /// guard, or declared in the same declaration.
    Siblings,
    /// The translation unit: a file that is not scanned, a file shared
    /// with a unit that does not make the same change, a rewrite across
    /// files.
    Unit,
    /// The build: a branch it does not compile, `Py_LIMITED_API`, CPython
    /// core code.
    Build,
    /// A quoted `#include` that was not found, or was found by its name
    /// alone.
    Include,
    /// Code that did not parse, or a use where no slot can be reached.
    Parse,
    /// The rewrite itself: its edits overlap (a defect of oncevar).
    Rewrite,
    /// A module that runs without the GIL, whose guard and write the
    /// publication rewrite does not fit.
    FreeThreading,
    /// A use where the thread may hold no thread state (the GIL released,
    /// a callback before it takes the GIL): no interpreter is current to
    /// find a slot in.
    ThreadState,
}

/// A location in a named file (a reason may point into another file of
/// the site's translation unit).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileLocation {
    /// The file, as displayed (`Diagnostic::path` of a site in it).
    pub path: String,
    /// Where, in that file.
    pub location: Location,
}

/// Edits sorted by file and position (then by replacement: insertions at
/// one offset in that order), each once: the one place that orders edits
/// and drops repeats (sites that share a declaration or the runtime
/// include carry identical edits). A fix's edits and a file's are such a
/// list; whether they are disjoint is [`Edits::overlap`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edits(Vec<Edit>);

/// Where two edits of one file overlap: an edit starts before the previous
/// one ends. Byte offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlap {
    /// The file, as displayed.
    pub path: String,
    /// Where the previous edit ends.
    pub previous_end: usize,
    /// Where the offending edit starts.
    pub start: usize,
}

impl Edits {
    /// `edits` sorted, repeats dropped.
    pub fn new(edits: impl IntoIterator<Item = Edit>) -> Edits {
        let mut all = Edits(Vec::new());
        all.extend(edits);
        all
    }

    /// Adds `edits`, keeping the list sorted with each edit once.
    pub fn extend(&mut self, edits: impl IntoIterator<Item = Edit>) {
        self.0.extend(edits);
        self.0.sort();
        self.0.dedup();
    }

    /// The first place where an edit starts before the previous edit of
    /// its file ends (insertions at one offset, and an insertion where a
    /// replacement starts or ends, do not overlap); `None` when the edits
    /// are disjoint.
    pub fn overlap(&self) -> Option<Overlap> {
        self.0.windows(2).find_map(|pair| {
            let (a, b) = (&pair[0], &pair[1]);
            (a.path == b.path && b.location.span.start < a.location.span.end).then(|| Overlap {
                path: b.path.clone(),
                previous_end: a.location.span.end,
                start: b.location.span.start,
            })
        })
    }
}

impl std::ops::Deref for Edits {
    type Target = [Edit];

    fn deref(&self) -> &[Edit] {
        &self.0
    }
}

impl FromIterator<Edit> for Edits {
    fn from_iter<I: IntoIterator<Item = Edit>>(edits: I) -> Edits {
        Edits::new(edits)
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
        if let Some(claim) = &self.gil_claim_elsewhere {
            let build = match &self.free_threading {
                Some(ft) if !ft.free_threaded => {
                    format!("this unit's build has the GIL ({}); ", ft.evidence)
                }
                _ => String::new(),
            };
            return Some(format!(
                "{build}the module claims {} at {}:{} in a branch this build does not compile: \
                 a build that compiles it (a free-threaded one) runs this lazy initialisation \
                 without the GIL, a data race there, before the fix as after it; the fix that \
                 publishes once (`Py_ONCEVAR_SET`) needs that build's compilation database",
                claim.kind.constant(),
                claim.path,
                claim.location.start.line,
            ));
        }
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

    /// The site's fix, when it is safe (to be made unsafe, say).
    pub fn safe_fix_mut(&mut self) -> Option<&mut Fix> {
        self.fix
            .as_mut()
            .filter(|f| f.applicability == Applicability::Safe)
    }

    /// The code's severity, raised to an error when the finding's module
    /// claims what it contradicts (the claims attached are those:
    /// [`crate::rules::Rule::contradicts`]): a process-wide cache in a
    /// module that claims isolation, a racing write in one that claims to
    /// run without the GIL, is a bug.
    pub fn severity(&self) -> Severity {
        if !self.claims.is_empty() {
            Severity::Error
        } else {
            self.code.severity()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(kind: ReasonKind, message: &str) -> Reason {
        Reason::new(kind, message)
    }

    #[test]
    fn reasons_are_sorted_and_once_each() {
        let fix = Fix::new(
            Applicability::Unsafe,
            vec![
                reason(ReasonKind::Unit, "b"),
                reason(ReasonKind::Unit, "a"),
                reason(ReasonKind::Macro, "b"),
            ],
            Vec::new(),
        );
        let messages: Vec<&str> = fix.reasons().iter().map(|r| r.message.as_str()).collect();
        assert_eq!(messages, ["a", "b"]);
        assert_eq!(fix.reason().as_deref(), Some("a; b"));
        assert_eq!(Fix::new(Applicability::Safe, vec![], vec![]).reason(), None);
    }

    #[test]
    fn blocking_a_safe_fix_drops_its_notes() {
        let note = reason(ReasonKind::Ownership, "ownership: made strong");
        let mut fix = Fix::new(Applicability::Safe, vec![note.clone()], Vec::new());
        fix.block(Vec::new());
        assert_eq!(
            fix.applicability,
            Applicability::Safe,
            "no reason, no change"
        );
        fix.block([reason(ReasonKind::Include, "not found")]);
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(fix.reason().as_deref(), Some("not found"));
        fix.block([reason(ReasonKind::Parse, "did not parse")]);
        assert_eq!(fix.reason().as_deref(), Some("did not parse; not found"));
        let mut shown = Fix::new(Applicability::DisplayOnly, vec![], vec![]);
        shown.block([note]);
        assert_eq!(shown.applicability, Applicability::DisplayOnly);
    }

    #[test]
    fn absorbing_keeps_the_reasons_of_the_lower_applicability() {
        let safe = |m: &str| {
            Fix::new(
                Applicability::Safe,
                vec![reason(ReasonKind::Ownership, m)],
                vec![],
            )
        };
        let unsafe_ = |m: &str| {
            Fix::new(
                Applicability::Unsafe,
                vec![reason(ReasonKind::Unit, m)],
                vec![],
            )
        };
        let mut fix = safe("note");
        fix.absorb(safe("other note"));
        assert_eq!(fix.reason().as_deref(), Some("note; other note"));
        fix.absorb(unsafe_("x"));
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(fix.reason().as_deref(), Some("x"));
        fix.absorb(unsafe_("x"));
        fix.absorb(safe("ignored"));
        fix.absorb(unsafe_("y"));
        assert_eq!(fix.reason().as_deref(), Some("x; y"));
    }

    fn edit(path: &str, start: usize, end: usize, text: &str) -> Edit {
        let position = Position { line: 1, column: 1 };
        Edit {
            path: path.to_owned(),
            location: Location {
                span: Span { start, end },
                start: position,
                end: position,
            },
            replacement: text.to_owned(),
            parse_as: None,
        }
    }

    #[test]
    fn a_fixs_edits_are_sorted_once_each_and_disjoint() {
        let fix = Fix::new(
            Applicability::Safe,
            vec![],
            vec![
                edit("b.c", 4, 6, "x"),
                edit("a.c", 9, 9, "#include"),
                edit("b.c", 0, 2, "y"),
                edit("b.c", 4, 6, "x"),
                edit("b.c", 2, 2, "z"),
            ],
        );
        let order: Vec<(&str, usize)> = fix
            .edits()
            .iter()
            .map(|e| (e.path.as_str(), e.location.span.start))
            .collect();
        assert_eq!(order, [("a.c", 9), ("b.c", 0), ("b.c", 2), ("b.c", 4)]);
        assert_eq!(fix.applicability, Applicability::Safe);
        // Edits that overlap cannot be applied in any order: shown only.
        let overlapping = Fix::new(
            Applicability::Safe,
            vec![],
            vec![edit("b.c", 0, 5, "x"), edit("b.c", 3, 7, "y")],
        );
        assert_eq!(overlapping.applicability, Applicability::DisplayOnly);
        assert!(
            overlapping.reason().unwrap().contains(
                "overlap in `b.c` (an edit at byte 3 starts before the previous one ends"
            ),
            "{:?}",
            overlapping.reason()
        );
        // Merging another unit's fix keeps the order and drops repeats.
        let mut merged = Fix::new(Applicability::Safe, vec![], vec![edit("h.h", 5, 6, "x")]);
        merged.absorb(Fix::new(
            Applicability::Safe,
            vec![],
            vec![edit("h.h", 5, 6, "x"), edit("c.c", 1, 2, "y")],
        ));
        assert_eq!(merged.edits().len(), 2);
        assert_eq!(merged.edits()[0].path, "c.c");
    }
}
