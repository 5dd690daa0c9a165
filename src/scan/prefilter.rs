//! A byte-level test, run before parsing, that proves a file cannot hold a
//! site, so the scan never parses it. Parsing is most of a scan's cost and
//! most C files have no lazily-initialised static at all.
//!
//! The test must be sound: whenever the analysis would report a site, the
//! file passes. A site needs two things, and the test looks for a lexical
//! trace of each, erring towards "may hold a site":
//!
//! * a candidate: a `static` declaration of a pointer, or of a pointer
//!   typedef (`PyThread_type_lock`, a configured one, or a `typedef … *T` of
//!   the same file). Its name is an identifier between the `static` keyword
//!   and the end of the declaration, at the declaration's own nesting depth
//!   (not in parentheses, a struct body or an initialiser, and not followed
//!   by `(`); the declaration counts only if it holds a `*` at that depth or
//!   the name of such a typedef.
//! * a write to that name, which is what makes a static lazy or set once:
//!   `name =` (not `==`, and not `name = NULL;`, which is a reset or the
//!   declaration's own initialiser and never counts as a write), `&name`, or
//!   `name` as a whole argument of a call to `Py_SETREF`/`Py_XSETREF` or to a
//!   function-like macro of the same file whose body assigns.
//!
//! A file passes when some candidate name is written. The traces are taken
//! in the scan's one pass over each file ([`crate::scan::index`]), on the
//! crate's C lexer (`scan::lexer`, private), which skips comments,
//! string and character literals and preprocessor directives as
//! tree-sitter-c does, and where the two could disagree (an unterminated
//! literal or comment) it lexes the text as code, which only lets more files
//! through. What the traces cannot follow is tree-sitter's error recovery
//! skipping a stray token inside the declaration or the write itself
//! (`static T{ *v;`, `v {= f();`, `static PyObject *v(= NULL;`): so a file
//! with a token out of place (`scan::shape`, private) and a `static` and
//! a pointer passes whole, and none of its unit's members is left out.
//! `oncevar check --no-prefilter` parses every file, and the tests (one
//! puts every kind of stray token at every position of a few sites) and
//! `scripts/bench.sh` require the same report either way.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::options::{AnalysisOptions, HEADER_POINTER_TYPEDEFS};
use crate::scan::elements::{self, Definitions, Held, Makeup, Space, TextMakeup, NO_OBJECT_TYPES};
use crate::scan::index::Index;
use crate::scan::lexer::{is_ident, is_ident_start, Token};
use crate::scan::shape::Shape;
use crate::scan::unit;

/// Whether `bytes` may hold a site: `false` is a proof that it holds none.
pub fn may_hold_site(bytes: &[u8], options: &AnalysisOptions) -> bool {
    if memchr::memmem::find(bytes, b"static").is_none() {
        return false;
    }
    let index = Index::of(bytes);
    Facts::unit_may_hold_site(&[Traces::new(&index.facts, bytes)], options)
}

/// The names a unit's possible sites depend on
/// ([`Facts::unit_relevant_names`]).
#[derive(Debug, Default)]
pub struct UnitNames<'a> {
    /// Written names declared by a `static` that may be a site.
    pub variables: HashSet<&'a [u8]>,
    /// The other identifiers of those declarations: their types.
    pub types: HashSet<&'a [u8]>,
    /// Function-like macros called with one of `variables`.
    pub macros: HashSet<&'a [u8]>,
    /// Functions that may write one of `variables` through its address:
    /// the callees of `&v` arguments, and the names a macro among `macros`
    /// calls in its body (`#define LAZY(v) fetch(&(v))` calls `fetch`).
    pub helpers: HashSet<&'a [u8]>,
}

/// Whether the text after an `=` is a NULL constant alone (`NULL`, `0`,
/// up to `;`, `)`, `,` or the end): a reset, no write.
fn resets(value: &[u8]) -> bool {
    let value = value.trim_ascii_start();
    let rest = value
        .strip_prefix(b"NULL")
        .or_else(|| value.strip_prefix(b"0"));
    rest.is_some_and(|r| {
        matches!(
            r.trim_ascii_start().first(),
            None | Some(b';' | b')' | b',' | b'\\')
        )
    })
}

/// A byte range of a file: an identifier the pass kept. An empty one ends
/// a declaration's list of names.
type Word = Range<usize>;

/// What one pass over a file found: the lexical traces of candidates and
/// writes, as byte ranges of the file (the pass is
/// [`crate::scan::index::Index::of`]). A translation unit's files are
/// tested together ([`Facts::unit_may_hold_site`]): the static may be
/// declared in one file and written in another, or through a macro defined
/// in a third.
#[derive(Debug, Default)]
pub struct Facts {
    /// Identifiers of `static` declarations that hold a `*`: possible
    /// candidate names (and type names, which do no harm). An empty name
    /// ends each declaration.
    pointer_statics: Vec<Word>,
    /// Identifiers of `static` declarations without a `*`: candidates only
    /// if their type is a pointer typedef. An empty name ends each declaration.
    plain_statics: Vec<Word>,
    /// Identifiers of `typedef` declarations that hold a `*`.
    pointer_typedefs: Vec<Word>,
    /// Names that `typedef` declarations declare as arrays (the identifier
    /// right before a `[`: `typedef PyObject *pair_t[2];`): a `static` of
    /// such a type is an array.
    array_typedefs: Vec<Word>,
    /// Identifiers written: `x =`, `&x`.
    written: Vec<Word>,
    /// Identifiers whose member is written: `x.m =`, `x[i].m =`,
    /// `&x.m`, `&x[i].m` (a static struct, or array of structs, with
    /// object members is a cache of them).
    member_written: Vec<Word>,
    /// (callee, argument) for every call argument that is one identifier.
    call_arguments: Vec<(Word, Word)>,
    /// Identifiers that are the whole right side of an `=` (`e = table;`,
    /// `Entry *e = table,`): a copy, which for an array is a pointer to its
    /// elements.
    copied: Vec<Word>,
    /// Identifiers read as pointers: `*x`, `*(x`, `x +`, `+ x`, `x->`,
    /// `(x) +`, `(x)->`. For an array, `*x = v`, `*(x + k) = v` and `(x +
    /// k)->m = v` write its elements (C11 6.5.2.1p2).
    pointer_reads: Vec<Word>,
    /// (macro, name, function-like) for a macro whose body may stand for
    /// the variable `name` or one of its caches: the name it starts with
    /// (through `(` and `*(`) when `[`, `.`, `+`, `)` or the end follows
    /// (`#define CACHE cache`, `#define OBJ(i) table[i]`, `*(table +
    /// (i))`). A use of the macro is a use of the variable
    /// (scope::macro_references): an object-like one written writes it, a
    /// function-like one reads an array as a pointer may.
    macro_aliases: Vec<(Word, Word, bool)>,
    /// Names that `static` declarations declare as arrays (the identifier
    /// right before a `[`) whose elements may all start NULL: no `*` (an
    /// array of structs, not of numbers or of CPython's table structs), or
    /// no string literal in the initialiser (`static char *kwlist[] =
    /// {"a", NULL}` holds no object); each with its element type's makeup
    /// ([`elements`]: `None` may hold an object pointer).
    array_statics: Vec<(Word, Makeup)>,
    /// The record types (by tag) and typedef names the file defines, with
    /// their makeup: whether an array of them may hold an object pointer.
    records: Vec<(Space, Word, Makeup)>,
    /// (callee, name) for every call argument `&name`.
    address_arguments: Vec<(Word, Word)>,
    /// Function-like macros whose body may assign a parameter, or take its
    /// address (for a helper to assign).
    writing_macros: Vec<Word>,
    /// (macro, name) for every name a function-like macro's body calls.
    macro_calls: Vec<(Word, Word)>,
    /// A token out of place (`scan::shape`): tree-sitter's repair
    /// may find a site that the traces above miss.
    out_of_shape: bool,
    /// A `*` in the code: without one, only a pointer typedef's name can
    /// make a pointer.
    star: bool,
    /// A name of the runtime's (`Py_ONCEVAR`, `Py_ONCEVAR_DECLARE`, …):
    /// code a fix wrote, whose per-interpreter slots the module rules
    /// read (OV403 in a module that claims to run without the GIL) though
    /// no `static` declares them.
    slots: bool,
    /// (macro, name) for every name a `#define` body assigns: written
    /// where the unit invokes the macro ([`Facts::unit_written`]).
    body_writes: Vec<(Word, Word)>,
    /// Macros whose body assigns a name it pastes (`str##S = …`): the
    /// name is made where the macro is invoked, so any `static` of a unit
    /// that invokes one may be what it writes.
    pasted_writers: Vec<Word>,
    /// The declared name of each `static` declarator, at its declaration's
    /// own depth: the identifier right before `=`, `,`, `;` or `[`
    /// (`static PyObject *cache = NULL;`), or the callee of a parenthesis
    /// that closes right before one (`static PyObject *CAT(cache_, a) =
    /// NULL;`: a name a function-like macro may make).
    declarators: Vec<Word>,
    /// The names the file's `#define` lines define.
    defines: Vec<Word>,
}

/// A file's [`Facts`] with the bytes they were read from: what the unit
/// questions take.
#[derive(Clone, Copy)]
pub struct Traces<'a> {
    facts: &'a Facts,
    bytes: &'a [u8],
}

impl<'a> Traces<'a> {
    /// `facts` of the file whose text is `bytes`.
    pub fn new(facts: &'a Facts, bytes: &'a [u8]) -> Self {
        Traces { facts, bytes }
    }

    /// `makeup`'s names as text.
    fn text_of(&self, makeup: &Makeup) -> TextMakeup<'a> {
        let bytes = self.bytes;
        makeup.as_ref().map(|parts| {
            parts
                .iter()
                .map(|(held, space, name)| (*held, *space, &bytes[name.clone()]))
                .collect()
        })
    }

    fn words(&self, words: &'a [Word]) -> impl Iterator<Item = &'a [u8]> + 'a {
        let bytes = self.bytes;
        words.iter().map(move |w| &bytes[w.clone()])
    }

    /// The declarations of `list`, each as its names.
    fn regions(&self, list: &'a [Word]) -> impl Iterator<Item = Vec<&'a [u8]>> + 'a {
        let bytes = self.bytes;
        list.split(|w| w.is_empty())
            .map(move |r| r.iter().map(|w| &bytes[w.clone()]).collect())
    }

    fn call_arguments(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + 'a {
        self.pairs(&self.facts.call_arguments)
    }

    /// Pairs of words as their text.
    fn pairs(&self, pairs: &'a [(Word, Word)]) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + 'a {
        let bytes = self.bytes;
        pairs
            .iter()
            .map(move |(c, a)| (&bytes[c.clone()], &bytes[a.clone()]))
    }

    /// The names this file calls with an identifier as an argument: where
    /// a helper may hand on a pointer it was given (`fill(slot, …)`).
    pub fn callees(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.call_arguments().map(|(callee, _)| callee)
    }

    /// (name, base) for every typedef of this file whose type is one other
    /// typedef name, by value (`typedef obj_t pair_t[2];`, `typedef pair_t
    /// pair2_t;`).
    fn typedef_bases(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + 'a {
        let bytes = self.bytes;
        self.facts
            .records
            .iter()
            .filter_map(
                move |(space, name, makeup)| match (space, makeup.as_deref()) {
                    (Space::Ordinary, Some([(Held::Value, Space::Ordinary, base)])) => {
                        Some((&bytes[name.clone()], &bytes[base.clone()]))
                    }
                    _ => None,
                },
            )
    }

    /// Whether this file defines a function-like macro among `names` that
    /// may assign a parameter.
    pub fn defines_writing_macro(&self, names: &HashSet<&[u8]>) -> bool {
        self.words(&self.facts.writing_macros)
            .any(|m| names.contains(m))
    }
}

impl Facts {
    /// The names the files of one unit write: assigned, address taken, or
    /// passed to `Py_SETREF` or to a function-like macro that may assign,
    /// and the unit's `decayed` arrays ([`Facts::unit_decayed`]).
    fn unit_written<'a>(files: &[Traces<'a>], decayed: &HashSet<&'a [u8]>) -> HashSet<&'a [u8]> {
        let mut written: HashSet<&[u8]> = files
            .iter()
            .flat_map(|f| f.words(&f.facts.written))
            .collect();
        let writing_macros: HashSet<&[u8]> = files
            .iter()
            .flat_map(|f| f.words(&f.facts.writing_macros))
            .collect();
        for (callee, argument) in files.iter().flat_map(Traces::call_arguments) {
            if callee.ends_with(b"SETREF") || writing_macros.contains(callee) {
                written.insert(argument);
            }
        }
        // A macro counts where the unit names it besides its `#define`
        // (an invocation, or another definition: a name too many only
        // lets the unit pass).
        let invoked = |name: &[u8]| {
            files
                .iter()
                .map(|f| unit::occurrences(f.bytes, name).take(2).count())
                .sum::<usize>()
                > 1
        };
        for (name, assigned) in files.iter().flat_map(|f| f.pairs(&f.facts.body_writes)) {
            if !written.contains(assigned) && invoked(name) {
                written.insert(assigned);
            }
        }
        let pasting = files
            .iter()
            .flat_map(|f| f.words(&f.facts.pasted_writers))
            .any(invoked);
        if pasting {
            for f in files {
                written.extend(f.words(&f.facts.pointer_statics));
                written.extend(f.words(&f.facts.plain_statics));
            }
        }
        written.extend(decayed);
        let aliased = Facts::written_aliases(files, &written);
        written.extend(aliased);
        written
    }

    /// The variables that object-like macros written in the unit stand
    /// for ([`Facts::macro_aliases`]): `CACHE = make();` with `#define
    /// CACHE cache` writes `cache`.
    fn written_aliases<'a>(files: &[Traces<'a>], written: &HashSet<&'a [u8]>) -> Vec<&'a [u8]> {
        files
            .iter()
            .flat_map(|f| {
                f.facts
                    .macro_aliases
                    .iter()
                    .filter(|(_, _, function)| !function)
                    .map(|(m, n, _)| (&f.bytes[m.clone()], &f.bytes[n.clone()]))
            })
            .filter(|(m, _)| written.contains(m))
            .map(|(_, n)| n)
            .collect()
    }

    /// The arrays of the unit ([`Facts::array_statics`]) named on their own
    /// as a whole call argument or the whole right side of an `=`, or read
    /// as a pointer ([`Facts::pointer_reads`]): the array decays to a
    /// pointer to its elements, which the callee, the copy or the code
    /// itself may write (`fill(table, n)`, `for (e = table; …) e->obj = …`,
    /// `*(table + 1) = …`).
    fn unit_decayed<'a>(files: &[Traces<'a>], options: &AnalysisOptions) -> HashSet<&'a [u8]> {
        let arrays = Facts::unit_arrays(files, options);
        if arrays.is_empty() {
            return HashSet::new();
        }
        files
            .iter()
            .flat_map(|f| {
                f.call_arguments()
                    .map(|(_, argument)| argument)
                    .chain(f.words(&f.facts.copied))
                    .chain(f.words(&f.facts.pointer_reads))
                    .chain(
                        f.facts
                            .macro_aliases
                            .iter()
                            .filter(|(_, _, function)| *function)
                            .map(|(_, n, _)| &f.bytes[n.clone()]),
                    )
            })
            .filter(|n| arrays.contains(n))
            .collect()
    }

    /// The arrays of the unit ([`Facts::array_statics`]) whose element type
    /// may hold an object pointer: not proven to hold none from the unit's
    /// own type definitions ([`elements::Definitions`]). An array whose
    /// elements hold no object pointer is never a cache, so handing it on
    /// by name is no write of a site.
    fn unit_arrays<'a>(files: &[Traces<'a>], options: &AnalysisOptions) -> HashSet<&'a [u8]> {
        let mut definitions: Option<Definitions> = None;
        let mut arrays = HashSet::new();
        for f in files {
            for (array, makeup) in &f.facts.array_statics {
                let proven = match makeup {
                    None => false,
                    Some(parts) if parts.is_empty() => true,
                    Some(_) => {
                        let definitions = definitions.get_or_insert_with(|| {
                            Definitions::new(
                                files.iter().flat_map(|f| {
                                    f.facts.records.iter().map(|(space, name, makeup)| {
                                        (*space, &f.bytes[name.clone()], f.text_of(makeup))
                                    })
                                }),
                                &options.object_types,
                            )
                        });
                        definitions.makeup_holds_no_object(&f.text_of(makeup).unwrap_or_default())
                    }
                };
                if !proven {
                    arrays.insert(&f.bytes[array.clone()]);
                }
            }
        }
        // `static pair_t cache;` with `typedef PyObject *pair_t[2];`: the
        // declaration's names (the type's too, which does no harm).
        let typedefs = Facts::unit_typedefs_of(
            files,
            files
                .iter()
                .flat_map(|f| f.words(&f.facts.array_typedefs))
                .collect(),
        );
        if !typedefs.is_empty() {
            for f in files {
                for region in f.regions(&f.facts.plain_statics) {
                    if region.iter().any(|n| typedefs.contains(n)) {
                        arrays.extend(region);
                    }
                }
            }
        }
        arrays
    }

    /// `seeds` and the typedef names of the unit that stand for one of
    /// them through plain or array typedefs of one another, as far as the
    /// unit goes (`typedef obj_t pair_t[2];` and `typedef pair_t pair2_t;`
    /// for `obj_t`): the records ([`Facts::records`]) whose type is one
    /// other typedef name held by value. One pass over the records, then a
    /// work list: linear in the unit's typedefs.
    fn unit_typedefs_of<'a>(files: &[Traces<'a>], seeds: HashSet<&'a [u8]>) -> HashSet<&'a [u8]> {
        if seeds.is_empty() {
            return seeds;
        }
        let mut of: HashMap<&[u8], Vec<&[u8]>> = HashMap::new();
        for (name, base) in files.iter().flat_map(Traces::typedef_bases) {
            of.entry(base).or_default().push(name);
        }
        let mut pending: Vec<&[u8]> = seeds.iter().copied().collect();
        let mut names = seeds;
        while let Some(base) = pending.pop() {
            for &name in of.get(base).into_iter().flatten() {
                if names.insert(name) {
                    pending.push(name);
                }
            }
        }
        names
    }

    /// What a unit's possible sites depend on: the written names of the
    /// `static` declarations that may declare a site (those with a `*`, or
    /// with a pointer typedef), the other identifiers of those declarations
    /// (their types), and the function-like macros called with one of the
    /// names. A file of the unit that mentions none of the names, defines
    /// none of the types and none of the macros cannot change the analysis
    /// of any site.
    pub fn unit_relevant_names<'a>(
        files: &[Traces<'a>],
        options: &AnalysisOptions,
    ) -> UnitNames<'a> {
        let decayed = Facts::unit_decayed(files, options);
        let mut written = Facts::unit_written(files, &decayed);
        let typedefs = Facts::unit_pointer_typedefs(files, options);
        let member_written = Facts::unit_member_written(files, &decayed);
        written.extend(&member_written);
        let mut relevant = UnitNames::default();
        for f in files {
            let regions = f.regions(&f.facts.pointer_statics).chain(
                f.regions(&f.facts.plain_statics).filter(|r| {
                    r.iter()
                        .any(|n| typedefs.contains(n) || member_written.contains(n))
                }),
            );
            for region in regions {
                if region.iter().any(|n| written.contains(n)) {
                    for n in region {
                        if written.contains(n) {
                            relevant.variables.insert(n);
                        } else {
                            relevant.types.insert(n);
                        }
                    }
                }
            }
        }
        // The typedef names those types are made of (`obj_t` of `typedef
        // obj_t pair_t[2];`): a file that defines one decides what the
        // static is.
        if !relevant.types.is_empty() {
            let mut bases: HashMap<&[u8], Vec<&[u8]>> = HashMap::new();
            for (name, base) in files.iter().flat_map(Traces::typedef_bases) {
                bases.entry(name).or_default().push(base);
            }
            let mut pending: Vec<&[u8]> = relevant.types.iter().copied().collect();
            while let Some(name) = pending.pop() {
                for &base in bases.get(name).into_iter().flatten() {
                    if relevant.types.insert(base) {
                        pending.push(base);
                    }
                }
            }
        }
        relevant.macros = files
            .iter()
            .flat_map(Traces::call_arguments)
            .filter(|(_, argument)| relevant.variables.contains(argument))
            .map(|(callee, _)| callee)
            .collect();
        relevant.helpers = files
            .iter()
            .flat_map(|f| f.pairs(&f.facts.address_arguments))
            .filter(|(_, argument)| relevant.variables.contains(argument))
            .map(|(callee, _)| callee)
            .chain(
                files
                    .iter()
                    .flat_map(Traces::call_arguments)
                    .filter(|(_, argument)| {
                        relevant.variables.contains(argument) && decayed.contains(argument)
                    })
                    .map(|(callee, _)| callee),
            )
            .chain(
                files
                    .iter()
                    .flat_map(|f| f.pairs(&f.facts.macro_calls))
                    .filter(|(m, _)| relevant.macros.contains(m))
                    .map(|(_, callee)| callee),
            )
            .collect();
        relevant
    }

    /// The names of pointer typedefs a unit knows: CPython's, configured
    /// ones, and those its files define, with the typedefs of them
    /// (`typedef obj_t pair_t[2];`, [`Facts::unit_typedefs_of`]).
    fn unit_pointer_typedefs<'a>(
        files: &[Traces<'a>],
        options: &'a AnalysisOptions,
    ) -> HashSet<&'a [u8]> {
        let named = HEADER_POINTER_TYPEDEFS
            .iter()
            .map(|t| t.as_bytes())
            .chain(options.object_pointer_typedefs.iter().filter_map(|t| {
                // `struct foo` as a configured name: the region holds `foo`.
                t.split_whitespace().last().map(str::as_bytes)
            }))
            .chain(
                files
                    .iter()
                    .flat_map(|f| f.words(&f.facts.pointer_typedefs)),
            )
            .collect();
        Facts::unit_typedefs_of(files, named)
    }

    /// Whether a file of the unit, read by tree-sitter, needs a repair that
    /// the traces cannot follow, and the unit holds a `static` and a `*` or
    /// a pointer typedef's name (whatever the repair, a site needs them):
    /// then the unit may hold a site whatever the traces say, and none of
    /// its members may be left out.
    pub fn any_out_of_shape(files: &[Traces], options: &AnalysisOptions) -> bool {
        let statics =
            |f: &Traces| !(f.facts.pointer_statics.is_empty() && f.facts.plain_statics.is_empty());
        let pointers = |f: &Traces| {
            f.facts.star
                || HEADER_POINTER_TYPEDEFS
                    .iter()
                    .copied()
                    .chain(options.object_pointer_typedefs.iter().map(String::as_str))
                    .filter_map(|t| t.split_whitespace().last())
                    .any(|t| memchr::memmem::find(f.bytes, t.as_bytes()).is_some())
        };
        files.iter().any(|f| f.facts.out_of_shape)
            && files.iter().any(statics)
            && files.iter().any(pointers)
    }

    /// The macros of one unit that name a `static` declarator where it is
    /// declared (its declarators: `static PyObject *CACHE_NAME;`,
    /// `static PyObject *CAT(cache_, a) = NULL;`): the static's name is
    /// what the macro expands to there, which the scan's text
    /// ([`crate::scan::unit::Layout`]) holds in its place.
    pub fn unit_made_names<'a>(files: &[Traces<'a>]) -> HashSet<&'a [u8]> {
        let declared: HashSet<&[u8]> = files
            .iter()
            .flat_map(|f| f.words(&f.facts.declarators))
            .collect();
        if declared.is_empty() {
            return HashSet::new();
        }
        files
            .iter()
            .flat_map(|f| f.words(&f.facts.defines))
            .filter(|n| declared.contains(n))
            .collect()
    }

    /// Whether the files of one unit, together, may hold a site: `false` is
    /// a proof that none of them holds one. A unit with a static named
    /// through a macro ([`Facts::unit_made_names`]) may: its uses and
    /// writes are spelled through the macro too.
    pub fn unit_may_hold_site(files: &[Traces], options: &AnalysisOptions) -> bool {
        if Facts::any_out_of_shape(files, options)
            || files.iter().any(|f| f.facts.slots)
            || !Facts::unit_made_names(files).is_empty()
        {
            return true;
        }
        let decayed = Facts::unit_decayed(files, options);
        let written = Facts::unit_written(files, &decayed);
        let member_written = Facts::unit_member_written(files, &decayed);
        if written.is_empty() && member_written.is_empty() {
            return false;
        }
        if files
            .iter()
            .flat_map(|f| f.words(&f.facts.pointer_statics))
            .any(|n| written.contains(n))
        {
            return true;
        }
        // `static T v;` where T is a pointer typedef: the region holds both
        // T and v, so it counts when it names a typedef and a written name.
        let typedefs = Facts::unit_pointer_typedefs(files, options);
        files.iter().any(|f| {
            f.regions(&f.facts.plain_statics).any(|region| {
                region.iter().any(|n| typedefs.contains(n))
                    && region.iter().any(|n| written.contains(n))
                    || region.iter().any(|n| member_written.contains(n))
            })
        })
    }

    /// The names whose members the files of one unit write, when one of
    /// them holds a `*` (without one, no struct has an object pointer
    /// member): `static struct state s;` with `s.error = …` may be a site;
    /// so may the unit's `decayed` arrays of structs.
    fn unit_member_written<'a>(
        files: &[Traces<'a>],
        decayed: &HashSet<&'a [u8]>,
    ) -> HashSet<&'a [u8]> {
        if !files.iter().any(|f| f.facts.star) {
            return HashSet::new();
        }
        let written: HashSet<&[u8]> = files
            .iter()
            .flat_map(|f| f.words(&f.facts.written))
            .collect();
        files
            .iter()
            .flat_map(|f| f.words(&f.facts.member_written))
            .chain(decayed.iter().copied())
            .chain(Facts::written_aliases(files, &written))
            .collect()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RegionKind {
    Static,
    Typedef,
}

/// An open `static` or `typedef` declaration.
struct Region<'a> {
    kind: RegionKind,
    /// Brace and parenthesis depths where it starts.
    braces: usize,
    parens: usize,
    star: bool,
    /// An `=` at the region's own depth: an initialiser follows, so a
    /// `{` after `)` is a compound literal, not a function body.
    initialiser: bool,
    /// Inside an initialiser (up to the next `,`): its `*` is a product and
    /// its identifiers are not declared names.
    in_initialiser: bool,
    /// A `*` in the current declarator.
    after_star: bool,
    /// Identifiers before the first initialiser, at any depth: a
    /// declaration has a type and a name.
    words: usize,
    names: Vec<&'a [u8]>,
    /// The names right before a `[` at the declaration's own depth,
    /// outside an initialiser: the arrays it declares.
    arrays: Vec<&'a [u8]>,
    /// A string or character literal in an initialiser.
    literal: bool,
    /// The makeup of a struct, union or enum body at the declaration's
    /// own depth (`static struct { … } table[]`).
    inline: Option<Makeup>,
    /// A typedef's tokens after its keyword: `typedef R (*name)(…);` names
    /// a pointer to a function.
    tokens: Vec<Token<'a>>,
}

/// An open struct, union or enum body (the outermost one).
struct Record<'a> {
    /// Its tag, if it has one (`struct tag {`).
    tag: Option<&'a [u8]>,
    enumeration: bool,
    /// The brace depth outside it.
    braces: usize,
    /// Its tokens, between its braces.
    tokens: Vec<Token<'a>>,
}

/// How far an identifier is into `x = NULL;`, the one assignment that is
/// never a write (the analysis ignores writes of a null constant).
#[derive(Clone, Copy)]
enum Pending<'a> {
    None,
    /// `x`
    Name(&'a [u8]),
    /// `x =`
    Assign(&'a [u8]),
    /// `x = NULL`
    Null(&'a [u8]),
}

/// An open `(` or `[`.
struct Group<'a> {
    /// The identifier before `(`: the callee if this is a call.
    callee: Option<&'a [u8]>,
    /// The identifier before `[` (or before an earlier `[…]` right before
    /// it): the array whose element `x[i] =` may write.
    indexed: Option<&'a [u8]>,
    /// The argument seen so far, if it is one identifier.
    argument: Option<&'a [u8]>,
    /// Whether the argument so far started with `&`.
    address: bool,
    /// Tokens in the current argument.
    tokens: usize,
}

/// The prefilter's part of the pass over a file: reads the tokens the
/// lexer hands over, in order, and notes the traces ([`Facts`]).
pub(crate) struct Scanner<'a> {
    bytes: &'a [u8],
    facts: Facts,
    braces: usize,
    groups: Vec<Group<'a>>,
    region: Option<Region<'a>>,
    previous: Option<Token<'a>>,
    before_previous: Option<Token<'a>>,
    /// An assignment `x = …` being read: is it `x = NULL;`?
    pending: Pending<'a>,
    /// Inside braces deeper than any open declaration, outside parentheses,
    /// no assignment pending: a number or a comma changes nothing, so the
    /// lexer may take a run of numbers as one token.
    quiet: bool,
    shape: Shape<'a>,
    /// The array of a `]` just read (`x[i]`): `=` next writes an element.
    indexed: Option<&'a [u8]>,
    /// The variable of a member just read (`x.m`, `x[i].m`, `x.a.b`): `=`
    /// next writes its member.
    member: Option<&'a [u8]>,
    /// The variable of `x.m[` while its subscript is open, with the
    /// brackets open: `x.m[i] =` writes a member of `x` (an array member
    /// of object pointers) as `x.m =` does.
    member_subscript: Option<(&'a [u8], usize)>,
    /// The variable of the member or the identifier that the `)` just read
    /// ends (`(x.m)`, `(x)`, `((x))`): `.` next reads a member of it
    /// (`(x.m).n =`, `(x).m =`).
    closed_member: Option<&'a [u8]>,
    /// The callee of a parenthesis just closed at the open `static`
    /// declaration's own depth: the declarator's name when `=`, `,`, `;`
    /// or `[` comes next ([`Facts::declarators`]).
    closed_callee: Option<&'a [u8]>,
    /// The identifier right after the last `&` of the expression (`&x`,
    /// `&x[i]`): a member access of it gives the member's address.
    addressed: Option<&'a [u8]>,
    /// The one identifier of a parenthesis just closed that named no
    /// callee (`(v)`): in `f(&(v))` it is the argument whose address goes.
    parenthesised: Option<&'a [u8]>,
    /// The token just read closed a parenthesis that named no callee and
    /// ended with `*`: a cast to a pointer type (`(PyObject **)`), after
    /// which an argument starts afresh (`f((PyObject **)&v)`).
    cast_closed: bool,
    /// The tokens since an `&` are only `(`: a name next has its address
    /// taken (`&((v))`).
    address_parens: bool,
    /// The identifier right after an `=` (`e = table`): a copy of it if
    /// `;`, `,` or `)` comes next.
    right_side: Option<&'a [u8]>,
    /// The one identifier of the parenthesis the last token closed (`(x)`).
    closed_alone: Option<&'a [u8]>,
    /// The identifier just read after `*`, `*(` or `+`: read as a pointer
    /// unless `[` or `(` comes next (`*x[i]` reads an element, `*f(x)` a
    /// call's result).
    dereferenced: Option<&'a [u8]>,
    /// The struct, union or enum body being read.
    record: Option<Record<'a>>,
}

impl<'a> Scanner<'a> {
    /// A scanner for the tokens of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Scanner {
            bytes,
            facts: Facts::default(),
            braces: 0,
            groups: Vec::new(),
            region: None,
            previous: None,
            before_previous: None,
            pending: Pending::None,
            quiet: false,
            shape: Shape::new(),
            indexed: None,
            member: None,
            member_subscript: None,
            closed_member: None,
            closed_callee: None,
            addressed: None,
            parenthesised: None,
            cast_closed: false,
            address_parens: false,
            right_side: None,
            closed_alone: None,
            dereferenced: None,
            record: None,
        }
    }

    /// Whether the lexer may take a run of numbers as one token now.
    pub(crate) fn quiet(&self) -> bool {
        self.quiet
    }

    /// A string or character literal was skipped before the next token.
    pub(crate) fn literal(&mut self) {
        self.shape.literal();
        if let Some(region) = self.region.as_mut().filter(|r| r.initialiser) {
            region.literal = true;
        }
        self.right_side = None;
    }

    /// Reads a code token (not a directive).
    pub(crate) fn token(&mut self, token: Token<'a>) {
        self.shape.token(token);
        self.declaration_shape(token);
        self.trace(token);
    }

    /// The traces, once every token was read.
    pub(crate) fn finish(mut self) -> Facts {
        self.facts.out_of_shape = self.shape.finish();
        if let Pending::Assign(name) | Pending::Null(name) = self.pending {
            let word = self.word(name);
            self.facts.written.push(word);
        }
        self.close_region();
        self.facts
    }

    /// The byte range of `text`, a slice of the file.
    fn word(&self, text: &[u8]) -> Word {
        word_of(self.bytes, text)
    }

    /// Reads a preprocessor directive, noting a function-like macro whose
    /// body may assign, and the names a macro's body assigns.
    pub(crate) fn directive(&mut self, text: &'a [u8]) {
        self.shape.directive(text);
        // Inside a declaration tree-sitter may not take the line as a
        // directive: its words may be declared names.
        if self.at_region_depth() {
            if let Some(region) = self.region.as_mut() {
                region.star |= text.contains(&b'*');
                let mut words = text
                    .split(|&b| !is_ident(b))
                    .filter(|w| w.first().is_some_and(|&b| is_ident_start(b)));
                region.names.extend(&mut words);
            }
        }
        let Some(rest) = strip_word(text[1..].trim_ascii_start(), b"define") else {
            return;
        };
        let rest = rest.trim_ascii_start();
        let name_len = rest.iter().take_while(|&&b| is_ident(b)).count();
        let after_name = &rest[name_len..];
        // An object-like macro cannot take an argument to assign, nor be
        // called; what its body assigns is written all the same.
        if name_len == 0 {
            return;
        }
        self.macro_alias(&rest[..name_len], after_name);
        let defined = self.word(&rest[..name_len]);
        self.facts.defines.push(defined.clone());
        let name = (after_name.first() == Some(&b'(')).then(|| defined.clone());
        let (parameters, body) = match &name {
            Some(name) => {
                let assigns = after_name.iter().enumerate().any(|(i, &b)| {
                    b == b'='
                        && after_name.get(i + 1) != Some(&b'=')
                        && i > 0
                        && after_name[i - 1] != b'='
                });
                // `&(v)` hands a parameter's address to a call that may
                // assign it (not `&&`).
                let addresses = after_name.iter().enumerate().any(|(i, &b)| {
                    b == b'&'
                        && after_name.get(i + 1) != Some(&b'&')
                        && i > 0
                        && after_name[i - 1] != b'&'
                });
                if assigns || addresses {
                    self.facts.writing_macros.push(name.clone());
                }
                let close = after_name
                    .iter()
                    .position(|&b| b == b')')
                    .map_or(0, |c| c + 1);
                (&after_name[..close], &after_name[close..])
            }
            None => (&b""[..], after_name),
        };
        // A function-like macro's parameters are no statics.
        let is_parameter = |word: &[u8]| {
            parameters
                .split(|&b| !is_ident(b))
                .any(|p| !p.is_empty() && p == word)
        };
        let blank = |b: &u8| b.is_ascii_whitespace() || *b == b'\\';
        // Past the parameter list, each word: followed by `(`, a call;
        // followed by `=` (or `) =`), assigned wherever the macro is
        // invoked (not `= NULL`): written, or, pasted (`x##_str = …`), a
        // [`Facts::pasted_writers`]. A name too many only lets the file
        // pass.
        let mut at = 0;
        while at < body.len() {
            if !is_ident_start(body[at]) || (at > 0 && is_ident(body[at - 1])) {
                at += 1;
                continue;
            }
            let end = at + body[at..].iter().take_while(|&&b| is_ident(b)).count();
            let mut next = end + body[end..].iter().take_while(|b| blank(b)).count();
            if let (Some(name), Some(b'(')) = (&name, body.get(next)) {
                let callee = self.word(&body[at..end]);
                self.facts.macro_calls.push((name.clone(), callee));
            }
            if body.get(next) == Some(&b')') {
                next += 1;
                next += body[next..].iter().take_while(|b| blank(b)).count();
            }
            if body.get(next) == Some(&b'=') && body.get(next + 1) != Some(&b'=') {
                // Back over a pasted run (`a ## b ## c`) to what precedes
                // it: a member (`.x = `, `->x = `, `._ ## N = ` in an
                // initialiser) is no static.
                let mut start = at;
                let mut pasted = false;
                loop {
                    let before = body[..start].trim_ascii_end();
                    let Some(run) = before.strip_suffix(b"##") else {
                        break;
                    };
                    pasted = true;
                    let run = run.trim_ascii_end();
                    start = run.len() - run.iter().rev().take_while(|&&b| is_ident(b)).count();
                }
                let before = body[..start].trim_ascii_end();
                let member = before.ends_with(b".") || before.ends_with(b"->");
                // `static T *v = …;` in a body: a declaration's own
                // initialiser, as outside macros.
                let statement = body[..start]
                    .iter()
                    .rposition(|b| matches!(b, b';' | b'{' | b'}'))
                    .map_or(0, |p| p + 1);
                let declaration = body[statement..start]
                    .split(|&b| !is_ident(b))
                    .any(|w| w == b"static");
                if pasted && !member {
                    self.facts.pasted_writers.push(defined.clone());
                } else if !pasted
                    && !member
                    && !declaration
                    && !is_parameter(&body[at..end])
                    && !resets(&body[next + 1..])
                {
                    let word = self.word(&body[at..end]);
                    self.facts.body_writes.push((defined.clone(), word));
                }
            }
            at = end;
        }
    }

    /// Notes the variable a macro's body may stand for
    /// ([`Facts::macro_aliases`]).
    fn macro_alias(&mut self, name: &'a [u8], after_name: &'a [u8]) {
        let mut body = after_name;
        let function = body.first() == Some(&b'(');
        if function {
            // A function-like macro's parameters.
            match body.iter().position(|&b| b == b')') {
                Some(close) => body = &body[close + 1..],
                None => return,
            }
        }
        let start = body
            .iter()
            .position(|b| !(b.is_ascii_whitespace() || matches!(b, b'(' | b'*' | b'\\')))
            .unwrap_or(body.len());
        let body = &body[start..];
        let len = body.iter().take_while(|&&b| is_ident(b)).count();
        if len == 0 || !is_ident_start(body[0]) {
            return;
        }
        let next = body[len..]
            .iter()
            .find(|b| !(b.is_ascii_whitespace() || **b == b'\\'));
        if matches!(next, None | Some(b'[' | b'.' | b'+' | b')')) {
            let alias = (self.word(name), self.word(&body[..len]), function);
            self.facts.macro_aliases.push(alias);
        }
    }

    fn trace(&mut self, token: Token<'a>) {
        self.declarator(token);
        self.read_record(token);
        self.pointer_read(token);
        if let Some(region) = self.region.as_mut() {
            if region.kind == RegionKind::Typedef {
                keep_token(&mut region.tokens, token);
            }
        }
        // `e = table;`: the whole right side is one identifier.
        match (self.right_side.take(), token) {
            (Some(copied), Token::Punct(b";" | b"," | b")")) => {
                let word = self.word(copied);
                self.facts.copied.push(word);
            }
            (_, Token::Ident(word)) if self.previous == Some(Token::Punct(b"=")) => {
                self.right_side = Some(word);
            }
            _ => {}
        }
        // `x[i] = v` (an array of object pointers is a cache of its elements).
        // (Not a declaration's own initialiser: `static T *x[] = {…}`.)
        let indexed = self.indexed.take();
        if let (Some(array), Token::Punct(b"=")) = (indexed, token) {
            if !self.at_region_depth() {
                let written = self.word(array);
                self.facts.written.push(written);
            }
        }
        // `x.m =`, `x[i].m =`, `&x.m`: a member of `x` is written.
        let member = self.member.take();
        match token {
            Token::Punct(b"=") => {
                if let Some(variable) = member.filter(|_| !self.at_region_depth()) {
                    let written = self.word(variable);
                    self.facts.member_written.push(written);
                }
            }
            Token::Punct(b".") => {
                self.member = match (self.previous, self.before_previous) {
                    (Some(Token::Ident(_)), _) if member.is_some() => member,
                    (Some(Token::Ident(_)), Some(Token::Punct(b"." | b"->"))) => None,
                    (Some(Token::Ident(name)), _) => Some(name),
                    // `x.m[i].n`: the member's variable; `x[i].n`: the array.
                    (Some(Token::Punct(b"]")), _) => member.or(indexed),
                    (Some(Token::Punct(b")")), _) => self.closed_member,
                    _ => None,
                };
                if let Some(variable) = self.member.filter(|&v| self.addressed == Some(v)) {
                    let written = self.word(variable);
                    self.facts.member_written.push(written);
                }
            }
            Token::Ident(_) if self.previous == Some(Token::Punct(b".")) => self.member = member,
            Token::Punct(b"[") => {
                let after_member =
                    matches!(self.previous, Some(Token::Ident(_) | Token::Punct(b"]")));
                match (
                    member.filter(|_| after_member),
                    self.member_subscript.as_mut(),
                ) {
                    (Some(variable), _) => self.member_subscript = Some((variable, 1)),
                    (None, Some((_, open))) => *open += 1,
                    (None, None) => {}
                }
            }
            Token::Punct(b"]") => {
                if let Some((variable, open)) = self.member_subscript.as_mut() {
                    *open -= 1;
                    if *open == 0 {
                        self.member = Some(*variable);
                        self.member_subscript = None;
                    }
                }
            }
            Token::Punct(b";" | b"{" | b"}") => {
                self.addressed = None;
                self.member_subscript = None;
            }
            Token::Punct(b")") => {
                self.addressed = None;
                self.closed_member = match self.previous {
                    Some(Token::Ident(name)) => Some(member.unwrap_or(name)),
                    Some(Token::Punct(b")")) => self.closed_member,
                    _ => None,
                };
            }
            Token::Punct(b",") => self.addressed = None,
            _ => {}
        }
        self.pending = match (self.pending, token) {
            (Pending::Name(name), Token::Punct(b"=")) => Pending::Assign(name),
            (Pending::Assign(name), Token::Ident(b"NULL" | b"nullptr") | Token::Number(b"0")) => {
                Pending::Null(name)
            }
            (Pending::Null(_), Token::Punct(b";" | b"," | b")")) => Pending::None,
            (Pending::Assign(name) | Pending::Null(name), _) => {
                let word = self.word(name);
                self.facts.written.push(word);
                Pending::None
            }
            _ => Pending::None,
        };
        self.track_argument(token);
        let mut cast_closed = false;
        let at_region_depth = self.at_region_depth();
        match token {
            Token::Ident(b"static") => self.open_region(RegionKind::Static),
            Token::Ident(b"typedef") => self.open_region(RegionKind::Typedef),
            // `x->name`, `x.name`, `.name = …`: a struct field, never a variable.
            Token::Ident(_) if matches!(self.previous, Some(Token::Punct(b"->" | b"."))) => {}
            Token::Ident(word) => {
                self.facts.slots |= word.starts_with(b"Py_ONCEVAR");
                // `&v`, and `&(v)`, `&((v))` (a macro's `&(var)` expanded
                // by hand).
                if self.previous == Some(Token::Punct(b"&")) || self.address_parens {
                    let written = self.word(word);
                    self.facts.written.push(written);
                    self.addressed = Some(word);
                }
                if let Some(region) = self.region.as_mut() {
                    // A typedef names a pointer type only after its `*`.
                    let declared = region.kind == RegionKind::Static || region.after_star;
                    if at_region_depth && !region.in_initialiser && declared {
                        region.names.push(word);
                    }
                }
                // `*x = v` writes what x points to, never x: in a
                // declaration it is an initialiser, in a statement a store.
                let stored = self.previous == Some(Token::Punct(b"*"))
                    || (self.previous == Some(Token::Ident(b"const"))
                        && self.before_previous == Some(Token::Punct(b"*")));
                if matches!(self.pending, Pending::None) && !stored {
                    self.pending = Pending::Name(word);
                }
            }
            Token::Punct(b"*") => {
                self.facts.star = true;
                if let Some(region) = self.region.as_mut() {
                    if at_region_depth && !region.in_initialiser {
                        region.star = true;
                        region.after_star = true;
                    }
                }
            }
            Token::Punct(b"=") => {
                if let Some(region) = self.region.as_mut().filter(|_| at_region_depth) {
                    region.initialiser = true;
                    region.in_initialiser = true;
                }
            }
            Token::Punct(b",") => {
                if let Some(region) = self.region.as_mut().filter(|_| at_region_depth) {
                    region.in_initialiser = false;
                    region.after_star = false;
                }
            }
            Token::Punct(b";") => {
                if at_region_depth {
                    self.close_region();
                }
            }
            Token::Punct(b"{") => {
                let body = at_region_depth
                    && self.previous == Some(Token::Punct(b")"))
                    && self.region.as_ref().is_some_and(|r| !r.initialiser);
                if body {
                    self.close_region(); // a function definition's body
                }
                self.open_record();
                self.braces += 1;
            }
            Token::Punct(b"}") => {
                // Only a brace opened before the declaration ends it; a stray
                // one matches nothing and ends nothing.
                if self.braces > 0
                    && self
                        .region
                        .as_ref()
                        .is_some_and(|r| r.braces == self.braces)
                {
                    self.close_region();
                }
                self.braces = self.braces.saturating_sub(1);
            }
            Token::Punct(open @ (b"(" | b"[")) => {
                if let (Some(region), Some(Token::Ident(name)), b"[") =
                    (self.region.as_mut(), self.previous, open)
                {
                    if !region.in_initialiser && at_region_depth {
                        region.arrays.push(name);
                    }
                }
                // `name(`: a function (or a macro call), never a variable.
                if let (Some(region), Some(Token::Ident(name)), b"(") =
                    (self.region.as_mut(), self.previous, open)
                {
                    let pushed = region
                        .names
                        .last()
                        .is_some_and(|n| n.as_ptr() == name.as_ptr());
                    if pushed {
                        region.names.pop();
                    }
                }
                let callee = match self.previous {
                    Some(Token::Ident(name)) if open == b"(" => Some(name),
                    _ => None,
                };
                let indexed = match (self.previous, open) {
                    (Some(Token::Ident(name)), b"[") => Some(name),
                    (Some(Token::Punct(b"]")), b"[") => indexed,
                    _ => None,
                };
                self.groups.push(Group {
                    callee,
                    indexed,
                    argument: None,
                    address: false,
                    tokens: 0,
                });
            }
            Token::Punct(b")" | b"]") => {
                if !self.groups.is_empty()
                    && self
                        .region
                        .as_ref()
                        .is_some_and(|r| r.parens == self.groups.len())
                {
                    self.close_region();
                }
                if let Some(group) = self.groups.pop() {
                    if token == Token::Punct(b"]") {
                        self.indexed = group.indexed;
                    }
                    let declaring = self
                        .region
                        .as_ref()
                        .is_some_and(|r| r.kind == RegionKind::Static && !r.in_initialiser)
                        && self.at_region_depth();
                    if declaring && token == Token::Punct(b")") {
                        self.closed_callee = group.callee;
                    }
                    cast_closed = token == Token::Punct(b")")
                        && group.callee.is_none()
                        && self.previous == Some(Token::Punct(b"*"));
                }
                self.closed_alone = self.parenthesised;
                // `f(&(v))`: the argument is `&` and a parenthesis around
                // `v`; `f(&((v)))`: that parenthesis is one around `(v)`.
                if let (Some(argument), Some(outer)) =
                    (self.parenthesised.take(), self.groups.last_mut())
                {
                    let address = outer.address && outer.tokens == 2;
                    let bare = outer.callee.is_none() && !outer.address && outer.tokens == 1;
                    if address || bare {
                        outer.argument = Some(argument);
                    }
                }
            }
            Token::Punct(_) | Token::Number(_) | Token::Directive(_) => {}
        }
        self.cast_closed = cast_closed;
        self.address_parens = match token {
            Token::Punct(b"(") => self.previous == Some(Token::Punct(b"&")) || self.address_parens,
            _ => false,
        };
        self.before_previous = self.previous;
        self.previous = Some(token);
        self.quiet = matches!(self.pending, Pending::None)
            && self.groups.is_empty()
            && self.region.as_ref().is_none_or(|r| self.braces > r.braces);
    }

    /// Notes a token out of place in the open declaration, which only the
    /// declaration's own state shows: `static T;` or `static T= *v` (no
    /// name yet), an initialiser in a `typedef`, a number, a member access
    /// or `*,` among the declarators, `static T{ *v` (a brace that opens no struct, no
    /// initialiser and no function body).
    fn declaration_shape(&mut self, token: Token<'a>) {
        let at_region_depth = self.at_region_depth();
        let (previous, before_previous) = (self.previous, self.before_previous);
        let Some(region) = self.region.as_mut() else {
            return;
        };
        if let Token::Ident(_) = token {
            if !region.initialiser {
                region.words += 1;
            }
        }
        if !at_region_depth || region.in_initialiser {
            return;
        }
        let tag =
            |t: Option<Token>| matches!(t, Some(Token::Ident(b"struct" | b"union" | b"enum")));
        let out_of_place = match token {
            Token::Punct(b";") => region.words < 2,
            Token::Punct(b"=") => region.kind == RegionKind::Typedef || region.words < 2,
            Token::Punct(b",") => previous == Some(Token::Punct(b"*")),
            Token::Punct(b"." | b"->") | Token::Number(_) => true,
            Token::Punct(b"{") => {
                matches!(previous, Some(Token::Ident(_)))
                    && !region.initialiser
                    && !tag(previous)
                    && !tag(before_previous)
            }
            _ => false,
        };
        if out_of_place {
            self.shape.break_here();
        }
    }

    fn open_region(&mut self, kind: RegionKind) {
        self.close_region();
        self.region = Some(Region {
            kind,
            braces: self.braces,
            parens: self.groups.len(),
            star: false,
            initialiser: false,
            in_initialiser: false,
            after_star: false,
            words: 0,
            names: Vec::new(),
            arrays: Vec::new(),
            literal: false,
            inline: None,
            tokens: Vec::new(),
        });
    }

    /// Opens a struct, union or enum body at a `{` after its keyword or its
    /// tag, unless one is open (a nested body is read as part of it).
    fn open_record(&mut self) {
        if self.record.is_some() {
            return;
        }
        let keyword = |t: Option<Token<'a>>| match t {
            Some(Token::Ident(k @ (b"struct" | b"union" | b"enum"))) => Some(k),
            _ => None,
        };
        let (tag, keyword) = match (self.previous, self.before_previous) {
            (Some(Token::Ident(tag)), before) if keyword(before).is_some() => {
                (Some(tag), keyword(before))
            }
            (previous, _) => (None, keyword(previous)),
        };
        let Some(keyword) = keyword else {
            return;
        };
        self.record = Some(Record {
            tag,
            enumeration: keyword == b"enum",
            braces: self.braces,
            tokens: Vec::new(),
        });
    }

    /// Keeps `token` as part of the open record body, or closes the body at
    /// its `}`: notes the tagged type's makeup, and the makeup of a body
    /// at the open declaration's own depth.
    fn read_record(&mut self, token: Token<'a>) {
        let Some(record) = self.record.as_mut() else {
            return;
        };
        if token != Token::Punct(b"}") || self.braces != record.braces + 1 {
            keep_token(&mut record.tokens, token);
            return;
        }
        let Some(record) = self.record.take() else {
            return;
        };
        let bytes = self.bytes;
        let makeup = if record.enumeration {
            Some(Vec::new())
        } else {
            elements::makeup_of_members(&record.tokens, |n| word_of(bytes, n))
        };
        if let Some(tag) = record.tag {
            let tag = self.word(tag);
            self.facts.records.push((Space::Tag, tag, makeup.clone()));
        }
        let groups = self.groups.len();
        if let Some(region) = self
            .region
            .as_mut()
            .filter(|r| r.braces == record.braces && r.parens == groups)
        {
            region.inline = Some(makeup);
        }
    }

    /// Notes the name of a `static` declarator that `token` ends
    /// ([`Facts::declarators`]).
    fn declarator(&mut self, token: Token<'a>) {
        let closed_callee = self.closed_callee.take();
        if !matches!(token, Token::Punct(b"=" | b"," | b";" | b"[")) || !self.at_region_depth() {
            return;
        }
        let Some(region) = self.region.as_ref() else {
            return;
        };
        if region.kind != RegionKind::Static || region.in_initialiser {
            return;
        }
        let name = match self.previous {
            Some(Token::Ident(name)) => Some(name),
            Some(Token::Punct(b")")) => closed_callee,
            _ => None,
        };
        if let Some(name) = name {
            let word = self.word(name);
            self.facts.declarators.push(word);
        }
    }

    /// Notes an identifier read as a pointer ([`Facts::pointer_reads`]).
    fn pointer_read(&mut self, token: Token<'a>) {
        let closed_alone = self.closed_alone.take();
        let dereferenced = self
            .dereferenced
            .take()
            .filter(|_| !matches!(token, Token::Punct(b"[" | b"(")));
        self.dereferenced = match (token, self.previous) {
            (Token::Ident(word), Some(Token::Punct(b"*" | b"+"))) => Some(word),
            (Token::Ident(word), Some(Token::Punct(b"("))) => {
                (self.before_previous == Some(Token::Punct(b"*"))).then_some(word)
            }
            _ => None,
        };
        let read = match (token, self.previous) {
            (Token::Punct(b"+" | b"->"), Some(Token::Ident(word))) => Some(word),
            (Token::Punct(b"+" | b"->"), Some(Token::Punct(b")"))) => closed_alone,
            _ => dereferenced,
        };
        if let Some(word) = read {
            let word = self.word(word);
            self.facts.pointer_reads.push(word);
        }
    }

    /// Notes `callee(…, x, …)` where an argument is one identifier.
    fn track_argument(&mut self, token: Token<'a>) {
        let bytes = self.bytes;
        let Some(group) = self.groups.last_mut() else {
            return;
        };
        match token {
            Token::Punct(b"," | b")") => {
                self.parenthesised = match (token, group.callee, group.argument, group.tokens) {
                    (Token::Punct(b")"), None, Some(argument), 1) => Some(argument),
                    _ => None,
                };
                if let (Some(callee), Some(argument)) = (group.callee, group.argument) {
                    let pair = (word_of(bytes, callee), word_of(bytes, argument));
                    match (group.tokens, group.address) {
                        (1, false) => self.facts.call_arguments.push(pair),
                        (2, true) => self.facts.address_arguments.push(pair),
                        _ => {}
                    }
                }
                group.argument = None;
                group.address = false;
                group.tokens = 0;
            }
            // `&v`, also after a cast: `(PyObject **)&v`.
            // The cast counts for nothing: the argument starts at `&`.
            Token::Punct(b"&") if group.tokens == 0 || (group.tokens == 1 && self.cast_closed) => {
                group.address = true;
                group.tokens = 1;
            }
            Token::Ident(word) => {
                group.argument = Some(word);
                group.tokens += 1;
            }
            _ => group.tokens += 1,
        }
    }

    /// Whether the innermost open declaration is at its own depth (not
    /// inside a parenthesis or brace opened after its keyword).
    fn at_region_depth(&self) -> bool {
        self.region
            .as_ref()
            .is_some_and(|r| r.braces == self.braces && r.parens == self.groups.len())
    }

    fn close_region(&mut self) {
        let Some(region) = self.region.take() else {
            return;
        };
        let bytes = self.bytes;
        let word = |n: &[u8]| word_of(bytes, n);
        let names = region.names.iter().map(|n| word_of(bytes, n));
        let table_of_no_objects = |n: &&[u8]| NO_OBJECT_TYPES.contains(n);
        if region.kind == RegionKind::Static
            && !region.arrays.is_empty()
            && !(region.star && region.literal)
            && (region.star || !region.names.iter().any(table_of_no_objects))
        {
            // The element type: the declaration's words but the arrays'
            // names (`static const struct entry table[]`).
            let types: Vec<&[u8]> = region
                .names
                .iter()
                .copied()
                .filter(|n| !region.arrays.iter().any(|a| a.as_ptr() == n.as_ptr()))
                .collect();
            let makeup = match &region.inline {
                Some(inline) if !region.star => inline.clone(),
                _ => elements::makeup_of_words(&types, usize::from(region.star), word),
            };
            let arrays = region
                .arrays
                .iter()
                .map(|n| (word_of(bytes, n), makeup.clone()));
            self.facts.array_statics.extend(arrays);
        }
        if region.kind == RegionKind::Typedef {
            self.facts
                .array_typedefs
                .extend(region.arrays.iter().map(|n| word_of(bytes, n)));
            if let Some(name) = elements::function_pointer_name(&region.tokens) {
                self.facts
                    .records
                    .push((Space::Ordinary, word(name), Some(Vec::new())));
            }
        }
        let list = match (region.kind, region.star) {
            (RegionKind::Static, true) => &mut self.facts.pointer_statics,
            (RegionKind::Static, false) => &mut self.facts.plain_statics,
            (RegionKind::Typedef, true) => {
                self.facts.pointer_typedefs.extend(names);
                return;
            }
            (RegionKind::Typedef, false) => {
                // `typedef struct tag name;`, `typedef struct { … } name;`,
                // `typedef unsigned short ucs2_t, DBCHAR;`
                if let Some((types, declared)) = elements::typedef_names(&region.tokens) {
                    let makeup = match region.inline {
                        Some(inline) => inline,
                        None => elements::makeup_of_words(&types, 0, word),
                    };
                    for name in declared {
                        self.facts
                            .records
                            .push((Space::Ordinary, word(name), makeup.clone()));
                    }
                }
                return;
            }
        };
        list.extend(names);
        list.push(0..0);
    }
}

/// How many tokens of a struct body or a typedef the pass keeps: real
/// ones are far shorter, and an unclosed `struct x {` of a hostile file
/// must not keep the whole file as tokens.
pub(crate) const KEPT_TOKENS: usize = 4096;

/// Keeps `token` in `tokens` up to [`KEPT_TOKENS`]; past it, a `(` stands
/// for the rest, which no reading takes for a type without objects or for
/// a typedef's names.
fn keep_token<'a>(tokens: &mut Vec<Token<'a>>, token: Token<'a>) {
    match tokens.len() {
        n if n < KEPT_TOKENS => tokens.push(token),
        KEPT_TOKENS => tokens.push(Token::Punct(b"(")),
        _ => {}
    }
}

/// The byte range of `text`, a slice of `bytes`.
fn word_of(bytes: &[u8], text: &[u8]) -> Word {
    let start = text.as_ptr() as usize - bytes.as_ptr() as usize;
    start..start + text.len()
}

/// `text` without its leading `word`, if `word` is a whole word there.
fn strip_word<'t>(text: &'t [u8], word: &[u8]) -> Option<&'t [u8]> {
    let rest = text.strip_prefix(word)?;
    match rest.first() {
        Some(&b) if is_ident(b) => None,
        _ => Some(rest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> Facts {
        Index::of(text.as_bytes()).facts
    }

    /// The pairs of words of `list` in `text`.
    fn pairs<'t>(text: &'t str, list: &[(Word, Word)]) -> Vec<(&'t str, &'t str)> {
        list.iter()
            .map(|(a, b)| (&text[a.clone()], &text[b.clone()]))
            .collect()
    }

    /// The words of `list` in `text`, separators left out.
    fn names(text: &str, list: &[Word]) -> Vec<String> {
        list.iter()
            .filter(|n| !n.is_empty())
            .map(|n| text[n.clone()].to_owned())
            .collect()
    }

    #[test]
    fn declared_names_are_those_at_the_declarations_depth() {
        let text = "static struct { int *a; } *p = NULL, q[2] = { x * y }, *r(int *s);
             static int n = 2 * 3;
             typedef int (*fn)(void);
typedef const struct t *T, U;
";
        let f = facts(text);
        assert_eq!(names(text, &f.pointer_statics), ["struct", "p", "q"]);
        assert_eq!(names(text, &f.plain_statics), ["int", "n"]);
        assert_eq!(names(text, &f.pointer_typedefs), ["T"]);
    }

    #[test]
    fn writes_are_assignments_addresses_and_macro_arguments() {
        let text = "a = 1; b == 2; c <= 3; d += 4; e = NULL; f = 0, g = (0); *h = 5;
             i = NULL + 1; s->j = 6; s.k = 7; use(&l); Py_SETREF(m, n); M(o, p + 1);
             q[1] = 2; r[f(s)][0] = 3; t[1] == 4; u[2]; static char *v[] = {0};
             #define M(x, y) x = (y)
#define N(x) (x == 1)
#define P(x) w = make(x), y = NULL
#define Q(x) x##_str = make(#x)
#define R(N) { ._ ## N = 1, .m = 2, p->n = 3 }
";
        let f = facts(text);
        assert_eq!(names(text, &f.written), ["a", "g", "i", "l", "q", "r"]);
        assert_eq!(pairs(text, &f.body_writes), [("P", "w")]);
        assert_eq!(names(text, &f.pasted_writers), ["Q"]);
        let arguments: Vec<(String, String)> = f
            .call_arguments
            .iter()
            .map(|(c, a)| (text[c.clone()].to_owned(), text[a.clone()].to_owned()))
            .collect();
        assert!(arguments.contains(&("Py_SETREF".into(), "m".into())));
        assert!(arguments.contains(&("M".into(), "o".into())));
        assert!(!arguments.iter().any(|(_, a)| a == "p"));
        assert_eq!(names(text, &f.writing_macros), ["M", "P", "Q", "R"]);
    }

    #[test]
    fn an_array_named_alone_in_a_call_or_a_copy_may_be_written() {
        let options = AnalysisOptions::default();
        let pass = |text: &str| may_hold_site(text.as_bytes(), &options);
        // Decayed to a pointer that a helper or a local writes through.
        assert!(pass(
            "static PyObject *t[3]; int g(void) { return fill(t, 3); }"
        ));
        assert!(pass(
            "typedef struct { const char *n; PyObject *o; } E; static E es[] = {{\"a\", NULL}};
             void g(void) { E *e; for (e = es; e->n; e++) e->o = f(); }"
        ));
        assert!(pass(
            "static E es[2]; void g(void) { E *e = es, *k; k = e; }"
        ));
        // Only read, a table of strings (no element starts NULL-only), a
        // table of CPython's method entries or of numbers.
        assert!(!pass(
            "static PyObject *t[3]; int g(void) { return t[0] == NULL; }"
        ));
        assert!(!pass(
            "static char *kwlist[] = {\"a\", NULL}; int g(void) { return parse(kwlist); }"
        ));
        assert!(!pass(
            "static PyMethodDef methods[] = {{\"f\", (PyCFunction)f, METH_O, NULL}, {NULL}};
             static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, \"m\", NULL, 0, methods};
             int g(PyObject *m) { return PyModule_AddFunctions(m, methods); }"
        ));
        assert!(!pass(
            "static const unsigned char t[] = {1, 2}; void g(char *p) { memcpy(p, t, 2); }"
        ));
        // The arrays' own names, never their types (`sizeof(PyObject)` is
        // no use of `static PyObject *t[2]`); a parameter's `[` makes no
        // array.
        let text = "static PyObject *a[2], *b; static E c[] = {{\"x\"}}; static int (*h)(int x[]);";
        let f = facts(text);
        let arrays: Vec<Word> = f.array_statics.iter().map(|(a, _)| a.clone()).collect();
        assert_eq!(names(text, &arrays), ["a", "c"]);
        assert!(!pass(
            "static PyObject *t[2]; static PyObject *p; int g(void) { return sizeof(PyObject) + f(void); }"
        ));
    }

    #[test]
    fn an_array_whose_elements_hold_no_object_is_no_cache() {
        let options = AnalysisOptions::default();
        let unit = |texts: &[&str]| {
            let indexes: Vec<Index> = texts.iter().map(|t| Index::of(t.as_bytes())).collect();
            let traces: Vec<Traces> = indexes
                .iter()
                .zip(texts)
                .map(|(index, text)| Traces::new(&index.facts, text.as_bytes()))
                .collect();
            Facts::unit_may_hold_site(&traces, &options)
        };
        let uses = "void g(void) { const struct code *e = codes; use(e); look(codes); }";
        // CPython's _ssl.c: a struct of the unit whose members are a string
        // and numbers, its table in a header of the unit.
        let strings = "struct code { const char *name; int library, reason; };";
        let table = "static struct code codes[] = {{\"A\", 1, 2}, {NULL, 0, 0}};";
        assert!(!unit(&[strings, table, uses]));
        // Other spellings of a type without object: a typedef of a tagged
        // or anonymous struct, an enum member, function pointers (_struct.c's
        // formatdef), bit-fields, an array member, a struct held by value,
        // arrays of an enum, of strings, of an arithmetic typedef.
        for text in [
            "typedef struct code { const char *name; unsigned int n : 3, m : 2; } code_t;
             static const code_t codes[] = {{0}};",
            "typedef enum { ONE, TWO } Style; typedef struct { Style style; const char *name; } Desc;
             static const Desc codes[] = {{ONE, \"one\"}};",
            "typedef struct _fd { char format; Py_ssize_t size;
                 PyObject *(*unpack)(const char *, const struct _fd *); int (*pack)(char *, PyObject *); } fd;
             static const fd codes[] = {{0}};",
            "struct inner { double d[4]; }; struct outer { struct inner in; long n; };
             typedef struct outer Outer; static Outer codes[2];",
            "static enum color { RED, GREEN } codes[4];",
            "static const char *codes[4];",
            "typedef unsigned long long mask_t; static mask_t codes[8]; int *p;",
            "static struct { const char *name; int n; } codes[] = {{0}};",
            // Pointers to functions through typedefs: the unit's (textio.c's
            // encodefuncentry, ast_opt.c's local table) and CPython's
            // (ceval.c's binary_ops); CPython's structs of numbers.
            "typedef PyObject* (*encodefunc_t)(PyObject *, PyObject *);
             typedef struct { const char *name; encodefunc_t encodefunc; } entry;
             static const entry codes[] = {{0}};",
            "PyObject *f(PyObject *o) { typedef PyObject *(*unary_op)(PyObject*);
                 static const unary_op codes[] = {0}; return codes[0](o); }",
            "typedef int (*check_t) (int); static check_t codes[2]; char *p;",
            "static const binaryfunc codes[] = {0}; char *p;",
            "static Py_complex codes[7][7]; char *p;",
            "static struct _frozen codes[4] = {{0}}; char *p;",
            // Pointers to types without objects (cjkcodecs' dbcs_index).
            "typedef unsigned short ucs2_t; struct dbcs_index { const ucs2_t *map; unsigned char lo, hi; };
             struct dbcs_map { const char *charset; const struct dbcs_index *decmap; };
             static const struct dbcs_map codes[] = {{0}};",
            "static PyMethodDef *codes[4]; char *p;",
            "typedef unsigned short ucs2_t, DBCHAR; struct unim_index { const DBCHAR *map; int n; };
             static const struct unim_index codes[4] = {{0}};",
        ] {
            assert!(!unit(&[text, uses]), "{text}");
        }
        // Elements that may hold an object: an object member, a void * or a
        // pointer to a struct (an object's may be one), a type the unit does
        // not define, a struct defined twice with an object in one branch,
        // a member struct that holds one, a nested body.
        for text in [
            "struct code { const char *name; PyObject *obj; }; static struct code codes[2];",
            "struct code { const char *name; void *data; }; static struct code codes[2];",
            "struct code { struct code *next; }; static struct code codes[2];",
            "static struct unknown codes[2]; char *p;",
            "static Unknown codes[2]; char *p;",
            "#if A\nstruct code { int n; };\n#else\nstruct code { PyObject *o; };\n#endif\n
             static struct code codes[2];",
            "struct in { PyTypeObject *t; }; typedef struct { struct in i; int n; } E; static E codes[2];",
            "struct code { struct { PyObject *o; } in; }; static struct code codes[2];",
            "typedef struct a a; struct a { a x; }; static a codes[2]; char *p;",
            "static struct { int n; PyObject *o; } codes[] = {{0}};",
            // A pointer to a function returning a pointer is a pointer,
            // whatever else the typedef's tokens hold.
            "typedef PyObject *(*getter_t)(void), *other_t; struct e { other_t o; };
             static struct e codes[2];",
            "typedef PyObject *(getter_t[2]); struct e { getter_t g; }; static struct e codes[2];",
            // A pointer to a type the analysis takes for an object by its
            // name, whatever its body; two pointers; a linked list.
            "typedef struct { int n; } PyFooObject; struct e { PyFooObject *f; };
             static struct e codes[2];",
            "struct e { const char **names; }; static struct e codes[2];",
            "struct node { struct node *next; int n; }; static struct node codes[2];",
            "static void *codes[2];",
            "typedef void *handle_t, DBCHAR; struct e { handle_t h; }; static struct e codes[2];",
            "typedef PyObject Ob, *Ref; struct e { Ref r; }; static struct e codes[2];",
        ] {
            assert!(unit(&[text, uses]), "{text}");
        }
        // A configured object type is an object whatever its body.
        let options = AnalysisOptions {
            object_types: vec!["struct Foo".to_owned()],
            ..AnalysisOptions::default()
        };
        let text = "struct Foo { int n; }; struct e { struct Foo *f; }; static struct e codes[2];";
        let index = Index::of(text.as_bytes());
        let other = Index::of(uses.as_bytes());
        let traces = [
            Traces::new(&index.facts, text.as_bytes()),
            Traces::new(&other.facts, uses.as_bytes()),
        ];
        assert!(Facts::unit_may_hold_site(&traces, &options));
        assert!(!Facts::unit_may_hold_site(
            &traces,
            &AnalysisOptions::default()
        ));
    }

    /// Code a fix wrote declares its slots with `Py_ONCEVAR_DECLARE`, no
    /// `static`: the module rules still read it (OV403 in a module without
    /// the GIL; the fuzz target `scan` found the prefilter hiding one).
    #[test]
    fn a_file_with_the_runtimes_slots_is_kept() {
        let options = AnalysisOptions::default();
        let fixed = "static PyObject *get(PyObject *self, PyObject *u)\n{\n\
            Py_ONCEVAR_DECLARE(PyObject *, cache);\n\
            if (Py_ONCEVAR(cache) == NULL)\n        Py_ONCEVAR(cache) = PyList_New(0);\n\
            return Py_XNewRef(Py_ONCEVAR(cache));\n}\n";
        assert!(may_hold_site(fixed.as_bytes(), &options));
        // The name in a comment or a string is no slot.
        let mentioned = "/* Py_ONCEVAR(cache) */ static const char *s = \"Py_ONCEVAR\";\n";
        assert!(!may_hold_site(mentioned.as_bytes(), &options));
    }

    #[test]
    fn a_member_written_names_its_variable() {
        let text = "static struct { const char *name; PyObject *obj; } table[] = {{\"a\", NULL}};
             static struct state st;
             void f(int i) { table[i].obj = g(table[i].name); st.error = 1; st.a.b = 2;
             use(&one.m); use(&two[i].m); p->q.r = 3; s.t == 4; u[1].v; w.x.y == 5;
             c.items[i] = h(); d.rows[f(e[1])][2] = 0; k.m[1] == 6;
             (g).m = 1; ((q.a)).b = 2; n.x.y.z = 3; r.rows[i].o = 4; }
";
        let f = facts(text);
        assert_eq!(
            names(text, &f.plain_statics),
            ["struct", "table", "struct", "state", "st"]
        );
        assert_eq!(
            names(text, &f.member_written),
            ["table", "st", "st", "one", "two", "c", "d", "g", "q", "n", "r"]
        );
    }

    #[test]
    fn an_address_in_parentheses_is_a_write_and_an_address_argument() {
        let text = "ensure(&(a), 1); g(&b); h((c)); k(&(d) + 1); \
                    m((T **)&e); n((void *) &(f)); p(&((g))); q((x) & h);";
        let f = facts(text);
        assert_eq!(names(text, &f.written), ["a", "b", "d", "e", "f", "g", "h"]);
        let addressed: Vec<(String, String)> = f
            .address_arguments
            .iter()
            .map(|(c, a)| (text[c.clone()].to_owned(), text[a.clone()].to_owned()))
            .collect();
        assert_eq!(
            addressed,
            [
                ("ensure".into(), "a".into()),
                ("g".into(), "b".into()),
                ("m".into(), "e".into()),
                ("n".into(), "f".into()),
                ("p".into(), "g".into())
            ]
        );
    }

    #[test]
    fn comments_literals_and_directives_hide_their_text() {
        let text = "/* static int *a; a = 1; */ // static int *b; b = 1;
             const char *s = \"static int *c; c = 1;\"; char d = '\\'';
             #define X static int *e; e = 1; \\
  static int *f; f = 1;
";
        let f = facts(text);
        assert!(f.pointer_statics.is_empty());
        // A macro's body declares nothing here; what it assigns is
        // written where the unit invokes it.
        assert_eq!(names(text, &f.written), ["d"]);
        assert_eq!(pairs(text, &f.body_writes), [("X", "e"), ("X", "f")]);
    }

    #[test]
    fn a_macro_body_writes_where_the_unit_invokes_it() {
        let options = AnalysisOptions::default();
        let pass = |text: &str| may_hold_site(text.as_bytes(), &options);
        let defined = "static PyObject *cache;\n#define FILL() cache = make()\n";
        assert!(!pass(defined));
        assert!(pass(&format!(
            "{defined}void f(void) {{ if (!cache) FILL(); }}\n"
        )));
        let set = "static PyObject *s_a;\nvoid f(void) { SET(a); }\n";
        assert!(pass(&format!("#define SET(x) s_##x = make()\n{set}")));
        assert!(!pass(&format!(
            "#define SET(x) {{ ._ ## x = make() }}\n{set}"
        )));
        assert!(!pass(&format!(
            "#define SET(x) static T *s_a = make()\n{set}"
        )));
    }
    #[test]
    fn a_static_named_through_a_macro_may_be_a_site() {
        let text = "#define CAT_(a, b) a##b\n#define CAT(a, b) CAT_(a, b)\n\
                    static PyObject *CAT(cache_, a) = NULL, *plain;\n\
                    static int CAT(n_, b)[2];\nstatic PyObject *get(void);\n\
                    void f(void) { static T *CAT(local_, c); int x = CAT(y, z); }\n\
                    static PyObject *q = CAT(a, b), *CACHE;\n";
        let f = facts(text);
        assert_eq!(
            names(text, &f.declarators),
            ["CAT", "plain", "CAT", "get", "CAT", "q", "CACHE"]
        );
        assert_eq!(names(text, &f.defines), ["CAT_", "CAT"]);
        let options = AnalysisOptions::default();
        let pass = |text: &str| may_hold_site(text.as_bytes(), &options);
        let lazy = "static PyObject *CAT(cache_, a) = NULL;\n\
                    void f(void) { if (CAT(cache_, a) == NULL) CAT(cache_, a) = make(); }\n";
        assert!(pass(&format!("#define CAT(a, b) a##b\n{lazy}")));
        assert!(
            !pass(lazy),
            "no macro of the unit makes the name: a function's declaration"
        );
        let object = "#define NAME cache_x\nstatic PyObject *NAME;\n";
        assert!(pass(object));
    }
}
