//! Translation units. A `.c` file is analysed together with the project
//! files it `#include`s, as the compiler sees them: each
//! included file's text is inlined after its `#include` line, recursively,
//! once, and again at a later `#include` only when the file has no
//! `#pragma once` or include guard still defined and a macro it names was
//! defined again in between (a template part read once per `#define NAME
//! a`, each reading with its own macros, see [`Layout::of_live`]); a file
//! being read is not entered again (a cycle). Declarations, struct
//! definitions, typedefs, function-like macros and every use of a static
//! are then seen across the unit, in one parse.
//!
//! An include is resolved against the including file's folder (not for
//! `<name>`), then the scanned roots, then the configured include folders
//! ([`IncludePath`]); `#include MACRO` through the file's own `#define
//! MACRO "name"` ([`includes`]). The caller leaves CPython's and the
//! system's headers out. A file that includes nothing that resolves is a
//! unit of its own, read as it is.
//!
//! The unit's text records, per byte range, the file it comes from
//! ([`Segment`]), so that every finding and edit is mapped back to a
//! position in its own file ([`map_span`]). A line break is added before
//! and after each inlined file: an insertion at the end of the `#include`
//! line then belongs to the including file, one at the start of the
//! included file to that file.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::Span;
use crate::scan::cond;
use crate::scan::index::{Directive, Index, Keyword};
use crate::scan::macros::{Definition, Macros};
use crate::scan::prefilter::{Facts, Traces};
use crate::scan::source::{Segment, BOM};

/// An `#include` directive of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Include {
    /// What stands between the quotes or angle brackets (for a computed
    /// include whose macro the file does not define, the macro's name).
    pub name: String,
    /// The offset just past the directive's line (after its `\n`, or the
    /// end of the file): where the included text goes.
    pub line_end: usize,
    /// How the directive names the file.
    pub form: IncludeForm,
}

/// How an `#include` names its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncludeForm {
    /// `#include "name"`, or `#include MACRO` with `#define MACRO "name"`
    /// in the same file: looked for beside the including file first.
    Quoted,
    /// `#include <name>` (or through a macro so defined): looked for on
    /// the include path and in the system's folders only.
    Angle,
    /// `#include MACRO` where the file defines no such `MACRO` as a quoted
    /// or angle-bracket name: what it includes is not known.
    Computed,
}

/// The quoted `#include` directives of `bytes`, in order, as the compiler
/// reads them (see [`includes_of`]): directives inside comments
/// are not directives, a comment before `#` is white space; `#if`
/// branches are not evaluated here (every branch's includes count; a
/// unit's layout then leaves out those in branches its build does not
/// compile, see [`Layout::of_live`]).
pub fn quoted_includes(bytes: &[u8]) -> Vec<Include> {
    let mut found = includes(bytes);
    found.retain(|i| i.form == IncludeForm::Quoted);
    found
}

/// Every `#include` directive of `bytes`, in order, quoted, angle-bracket
/// and computed (see [`includes_of`]).
pub fn includes(bytes: &[u8]) -> Vec<Include> {
    includes_of(&Index::directives(bytes), bytes)
}

/// Every `#include` among `directives` (of `bytes`) that the compiler
/// reads, in order: quoted, angle-bracket and computed (`#include MACRO`,
/// read through an object-like `#define MACRO "name"` or `<name>` of the
/// same file, its first such definition, else [`IncludeForm::Computed`]).
/// A name that is not UTF-8 names no file oncevar can look for, and is
/// left out.
pub fn includes_of(directives: &[Directive], bytes: &[u8]) -> Vec<Include> {
    directives
        .iter()
        .filter(|d| d.starts_line && d.keyword == Keyword::Include)
        .filter_map(|d| {
            let (name, form) = include_operand(d.rest(bytes).trim_ascii_start())?;
            let (name, form) = match form {
                IncludeForm::Computed => computed_include(directives, bytes, &name)
                    .unwrap_or((name, IncludeForm::Computed)),
                _ => (name, form),
            };
            Some(Include {
                name,
                line_end: d.line_end,
                form,
            })
        })
        .collect()
}

/// What an include directive's operand names (the text after `include`,
/// blanks skipped): `"name"`, `<name>`, or an identifier (computed).
fn include_operand(rest: &[u8]) -> Option<(String, IncludeForm)> {
    let (name, form) = if let Some(rest) = rest.strip_prefix(b"\"") {
        (&rest[..memchr::memchr(b'"', rest)?], IncludeForm::Quoted)
    } else if let Some(rest) = rest.strip_prefix(b"<") {
        (&rest[..memchr::memchr(b'>', rest)?], IncludeForm::Angle)
    } else {
        let end = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .unwrap_or(rest.len());
        let word = &rest[..end];
        if word.is_empty() || word[0].is_ascii_digit() {
            return None;
        }
        (word, IncludeForm::Computed)
    };
    let name = std::str::from_utf8(name).ok()?;
    (!name.is_empty()).then(|| (name.to_owned(), form))
}

/// What `#include MACRO` names when the file's `directives` define `MACRO`
/// as a quoted or angle-bracket name (`#define COMPAT_H "compat.h"`): the
/// file's first such definition (of several in `#if` branches, the one the
/// unit reads).
fn computed_include(
    directives: &[Directive],
    bytes: &[u8],
    macro_name: &str,
) -> Option<(String, IncludeForm)> {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    directives
        .iter()
        .filter(|d| d.starts_line && d.keyword == Keyword::Define)
        .find_map(|d| {
            let rest = d.rest(bytes).trim_ascii_start();
            let rest = rest.strip_prefix(macro_name.as_bytes())?;
            if !rest.first().is_some_and(blank) {
                return None;
            }
            let start = rest.iter().position(|b| !blank(b))?;
            include_operand(&rest[start..]).filter(|(_, form)| *form != IncludeForm::Computed)
        })
}

/// Where quoted includes are looked for, after the including file's own
/// folder: the scanned roots (directory arguments), then the configured
/// include folders (`include-dirs`, `-I`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncludePath {
    /// The directory arguments of the scan, in the order given.
    pub roots: Vec<PathBuf>,
    /// The configured include folders, in the order given.
    pub include_dirs: Vec<PathBuf>,
}

impl IncludePath {
    /// The file that `#include "name"` in `includer` reads, if it exists;
    /// for `#include <name>` ([`IncludeForm::Angle`]), the including file's
    /// folder is not looked in.
    pub fn resolve(&self, includer: &Path, name: &str, form: IncludeForm) -> Option<PathBuf> {
        let own = includer.parent().unwrap_or(Path::new(""));
        std::iter::once(own)
            .filter(|_| form != IncludeForm::Angle)
            .chain(self.roots.iter().map(PathBuf::as_path))
            .chain(self.include_dirs.iter().map(PathBuf::as_path))
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    }
}

/// The file's identity, whatever path reached it.
pub fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether `root`, or a file it reaches through `edges` (`edges[f]` lists
/// the files `f` includes; cycles are fine), has `mark` set. Visits only
/// what `root` reaches.
pub fn reaches(root: usize, edges: &[Vec<usize>], mark: &[bool]) -> bool {
    let mut seen = std::collections::HashSet::from([root]);
    let mut stack = vec![root];
    while let Some(f) = stack.pop() {
        if mark[f] {
            return true;
        }
        stack.extend(edges[f].iter().filter(|&&t| seen.insert(t)));
    }
    false
}

/// The unit roots among `files` (0..`scanned` are the scanned files, the
/// rest are include targets outside the scan): every scanned file that no
/// other file includes, then, for files reached only through a cycle, the
/// first such file in `order` (repeatedly, until every scanned file belongs
/// to a unit). `edges[f]` lists the files `f` includes.
pub fn roots(edges: &[Vec<usize>], scanned: usize, order: &[usize]) -> Vec<usize> {
    let mut included = vec![false; edges.len()];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            if to != from {
                included[to] = true;
            }
        }
    }
    let mut roots: Vec<usize> = order.iter().copied().filter(|&f| !included[f]).collect();
    let mut covered = vec![false; edges.len()];
    for &root in &roots {
        mark_reachable(root, edges, &mut covered);
    }
    for &f in order {
        if f < scanned && !covered[f] {
            roots.push(f);
            mark_reachable(f, edges, &mut covered);
        }
    }
    roots
}

fn mark_reachable(from: usize, edges: &[Vec<usize>], seen: &mut [bool]) {
    let mut stack = vec![from];
    while let Some(f) = stack.pop() {
        if !std::mem::replace(&mut seen[f], true) {
            stack.extend(edges[f].iter().copied());
        }
    }
}

/// How deep quoted includes nest before the rest is left out of a unit:
/// the limit of GCC and Clang (`#include nested depth 200 exceeds
/// maximum`), so nothing deeper is ever compiled. It also bounds the
/// recursion of [`Layout::of_live`] and of the `#if` walk over a unit.
pub const MAX_INCLUDE_DEPTH: usize = 200;

/// How many times one file may be laid out in a unit (each time a macro it
/// names was defined again since its last reading); past that, a further
/// inclusion is not laid out (its reading is still counted).
pub const MAX_READINGS: usize = 16;

/// A file's bytes and its one pass ([`Index`]), by file index: what a
/// layout reads of each file besides its includes (the `#define` and
/// `#undef` lines that make each reading's macros, the names its statics
/// declare).
pub type Sources<'s, 'b> = &'s dyn Fn(usize) -> (&'b [u8], &'b Index);

/// An `#include` whose file the compiler reads there: the including
/// file, the offset past the directive's line in it, the file included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The including file (an index into the caller's file list).
    pub includer: usize,
    /// The offset just past the `#include` line in the including file.
    pub line_end: usize,
    /// The file included.
    pub file: usize,
}

/// How a unit's text is put together.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// The unit's files (indexes into the caller's file list), one entry
    /// per reading laid out: the root first, then in the order they are
    /// included. A part included again after a macro it names was defined
    /// again (`#define CACHE_NAME cache_b`) is laid out again, a member of
    /// its own; otherwise each file is laid out once.
    pub members: Vec<usize>,
    /// The text's byte ranges, in order; `Segment::member` indexes `members`.
    pub segments: Vec<Segment>,
    /// The unit text's length in bytes (the end of the last segment).
    pub len: usize,
    /// The first file whose includes were not followed because they nest
    /// deeper than [`MAX_INCLUDE_DEPTH`], if any.
    pub too_deep: Option<usize>,
    /// What the text holds in place of each segment that stands for a
    /// macro's name ([`Segment::stands_for`]), in segment order: the one
    /// identifier it expands to in that reading.
    pub replacements: Vec<Vec<u8>>,
    /// Every `#include` whose file the compiler reads (the first of a file
    /// guarded by `#pragma once` or an include guard still defined, and
    /// one into a file being read, are left out), in the order read,
    /// whether or not its text is laid out again.
    pub readings: Vec<Reading>,
}

/// What a layout is made from, and its state while it lays out a unit.
struct Inline<'a, 'b> {
    includes: &'a [Vec<(usize, usize)>],
    texts: &'a [Range<usize>],
    sources: Sources<'a, 'b>,
    keep: &'a dyn Fn(usize) -> bool,
    dead: &'a HashSet<(usize, usize)>,
    /// The files whose readings have their macro names replaced.
    expanded: &'a HashSet<usize>,
    /// The macros replaced in every file: those that name a static where
    /// it is declared ([`Facts::unit_made_names`]).
    made: &'a HashSet<Vec<u8>>,
    macros: Macros,
    /// Per file: how many times it was laid out, and where in the
    /// macros' changes its last reading started and ended
    /// ([`Macros::mark`]).
    laid: Vec<usize>,
    marks: HashMap<usize, usize>,
    ends: HashMap<usize, usize>,
    /// Per file, read at its first `#include` again: what it names and
    /// defines, and what closes it ([`Inline::closed`], [`Inline::reads_anew`]).
    names: HashMap<usize, Names>,
    /// Per file: whether it is being read (an include of it then is a
    /// cycle, not read).
    open: Vec<bool>,
}

impl Layout {
    /// The layout of the unit rooted at `root`. `includes[f]` lists the
    /// resolved includes of file `f` as (offset past the directive's line,
    /// included file), in order; `texts[f]` is the byte range of file `f`
    /// that is its text ([`text_range`]: all of it, or what follows a byte
    /// order mark, which a compiler skips and tree-sitter would read as
    /// code in the middle of a unit's text); `sources` gives each file's
    /// bytes and directives. Every file reached is a member, but only the
    /// text of those that `keep` accepts (and the root's) goes into the
    /// unit's text; the files they include are still inlined in place.
    pub fn of(
        root: usize,
        includes: &[Vec<(usize, usize)>],
        texts: &[Range<usize>],
        keep: &dyn Fn(usize) -> bool,
        sources: Sources,
    ) -> Layout {
        Layout::of_live(root, includes, texts, keep, &HashSet::new(), sources)
    }

    /// [`Layout::of`] without the includes in `dead` (file, offset past
    /// the directive's line): those in `#if` branches the build does not
    /// compile (see [`crate::scan::cond`]). A file included there and
    /// again later is inlined at the later include.
    ///
    /// One reading per `#include`: the unit's `#define` and `#undef` lines
    /// are followed in the order read ([`Macros`]), and a file included
    /// again is laid out again when it has no `#pragma once` and no
    /// include guard still defined, and a macro it names (and does not
    /// define itself) means something else than at its last reading
    /// (at most [`MAX_READINGS`] times). In every reading of a file laid
    /// out more than once, each name that expands to one identifier under
    /// that reading's macros (`CACHE_NAME`, `CAT(get_, NAME)`) is that
    /// identifier in the unit's text ([`Segment::stands_for`]): each
    /// reading declares its own statics, as the compiler reads it. In
    /// every file, so is each invocation of a macro that names a static
    /// where it is declared ([`Facts::unit_made_names`]: `static PyObject
    /// *CAT(cache_, a) = NULL;` declares `cache_a`, and `CAT(cache_, a)
    /// == NULL` reads it). A `#define` or `#undef` counts in the `#if`
    /// branches the unit's own macros decide (see `Directives::advance`).
    pub fn of_live(
        root: usize,
        includes: &[Vec<(usize, usize)>],
        texts: &[Range<usize>],
        keep: &dyn Fn(usize) -> bool,
        dead: &HashSet<(usize, usize)>,
        sources: Sources,
    ) -> Layout {
        let keep = |f: usize| f == root || keep(f);
        let lay = |expanded: &HashSet<usize>, made: &HashSet<Vec<u8>>| {
            let mut how = Inline {
                includes,
                texts,
                sources,
                keep: &keep,
                dead,
                expanded,
                made,
                macros: Macros::default(),
                laid: vec![0; includes.len()],
                marks: HashMap::new(),
                ends: HashMap::new(),
                names: HashMap::new(),
                open: vec![false; includes.len()],
            };
            let mut layout = Layout::default();
            layout.members.push(root);
            how.laid[root] = 1;
            how.snapshot(root);
            layout.inline(0, &mut how, 1);
            (layout, how.laid)
        };
        let (layout, laid) = lay(&HashSet::new(), &HashSet::new());
        let again: HashSet<usize> = (0..laid.len()).filter(|&f| laid[f] > 1).collect();
        let traces: Vec<Traces> = layout
            .members
            .iter()
            .map(|&m| {
                let (bytes, index) = sources(m);
                Traces::new(&index.facts, bytes)
            })
            .collect();
        let made: HashSet<Vec<u8>> = Facts::unit_made_names(&traces)
            .into_iter()
            .map(<[u8]>::to_vec)
            .collect();
        if again.is_empty() && made.is_empty() {
            return layout;
        }
        lay(&again, &made).0
    }

    fn inline(&mut self, member: usize, how: &mut Inline<'_, '_>, depth: usize) {
        let file = self.members[member];
        how.open[file] = true;
        let (bytes, index) = (how.sources)(file);
        let directives = &index.directives[..];
        let kept = (how.keep)(file);
        let expand = how.expanded.contains(&file);
        let mut from = how.texts[file].start;
        // The directives read so far, and the `#if` groups open.
        let mut read = Directives::new(wrapping_guard(bytes, directives).map(|d| d.span.start));
        for &(line_end, target) in &how.includes[file] {
            read.advance(bytes, directives, line_end, &mut how.macros);
            if how.dead.contains(&(file, line_end)) || how.open[target] {
                continue;
            }
            let first = how.laid[target] == 0;
            if !first && how.closed(target) {
                continue;
            }
            if depth >= MAX_INCLUDE_DEPTH {
                self.too_deep.get_or_insert(file);
                continue;
            }
            self.readings.push(Reading {
                includer: file,
                line_end,
                file: target,
            });
            if !first && (how.laid[target] >= MAX_READINGS || !how.reads_anew(target)) {
                continue;
            }
            how.laid[target] += 1;
            how.snapshot(target);
            if kept {
                self.copy(member, from, line_end, expand, how, &mut read);
            }
            from = line_end;
            self.push(None, 0, 1);
            self.members.push(target);
            self.inline(self.members.len() - 1, how, depth + 1);
            how.finished(target);
            self.push(None, 0, 1);
        }
        let end = how.texts[file].end;
        if kept {
            self.copy(member, from, end, expand, how, &mut read);
        }
        read.advance(bytes, directives, end, &mut how.macros);
        how.open[file] = false;
    }

    /// Puts `member`'s bytes `from..to` into the text; with `expand`, each
    /// name there that expands to one identifier under the macros of this
    /// point of the reading (its own `#define` lines before it read first)
    /// becomes a segment that stands for it.
    fn copy(
        &mut self,
        member: usize,
        from: usize,
        to: usize,
        expand: bool,
        how: &mut Inline<'_, '_>,
        read: &mut Directives,
    ) {
        if !expand && how.made.is_empty() {
            self.push(Some(member), from, to - from);
            return;
        }
        let (bytes, index) = (how.sources)(self.members[member]);
        let directives = &index.directives[..];
        let base = bytes.as_ptr() as usize;
        let mut lexer = crate::scan::lexer::Lexer::at(&bytes[..to], from);
        let mut done = from;
        let mut pending: Vec<crate::scan::lexer::Token> = Vec::new();
        loop {
            let token = match pending.pop() {
                Some(t) => Some(t),
                None => lexer.next_token(false),
            };
            let Some(crate::scan::lexer::Token::Ident(name)) = token else {
                if token.is_none() {
                    break;
                }
                continue;
            };
            // Outside a part read more than once, only the macros that
            // name a static where it is declared.
            if !expand && !how.made.contains(name) {
                continue;
            }
            let at = name.as_ptr() as usize - base;
            read.advance(bytes, directives, at, &mut how.macros);
            // A name no macro defines stands for itself.
            if how.macros.get(name).is_none() {
                continue;
            }
            let mut end = at + name.len();
            let mut tokens = vec![name.to_vec()];
            if let Some(Definition::Known {
                parameters: Some(_),
                ..
            }) = how.macros.get(name)
            {
                // The invocation's arguments, to its `)`.
                let mut depth = 0usize;
                while let Some(token) = lexer.next_token(false) {
                    let text = match token {
                        crate::scan::lexer::Token::Ident(t)
                        | crate::scan::lexer::Token::Number(t)
                        | crate::scan::lexer::Token::Punct(t) => t,
                        crate::scan::lexer::Token::Directive(_) => break,
                    };
                    if tokens.len() == 1 && text != b"(" {
                        pending.push(token);
                        break;
                    }
                    tokens.push(text.to_vec());
                    end = text.as_ptr() as usize - base + text.len();
                    match text {
                        b"(" => depth += 1,
                        b")" => depth -= 1,
                        _ => {}
                    }
                    // A longer invocation expands to no known name.
                    if depth == 0 || tokens.len() > crate::scan::macros::MAX_TOKENS {
                        break;
                    }
                }
            }
            let written = &bytes[at..end];
            let plain = !written.iter().any(|b| matches!(b, b'\n' | b'"' | b'\''));
            match how.macros.identifier(&tokens) {
                Some(identifier) if plain && identifier != written => {
                    self.push(Some(member), done, at - done);
                    self.segments.push(Segment {
                        start: self.len,
                        end: self.len + identifier.len(),
                        member: Some(member),
                        member_offset: at,
                        stands_for: Some(end - at),
                    });
                    self.len += identifier.len();
                    self.replacements.push(identifier);
                    done = end;
                }
                // An argument may hold a name of its own.
                _ if tokens.len() > 1 => {
                    lexer = crate::scan::lexer::Lexer::at(&bytes[..to], at + name.len());
                    pending.clear();
                }
                _ => {}
            }
        }
        self.push(Some(member), done, to - done);
    }

    /// Whether the unit's text holds the root's text alone (besides the
    /// line breaks the unit adds), as written: no other member's text was
    /// kept, though other files may be members, and no name a macro makes
    /// was replaced ([`Segment::stands_for`]).
    pub fn is_single_file(&self) -> bool {
        self.replacements.is_empty()
            && self
                .segments
                .iter()
                .all(|s| s.member.is_none_or(|m| m == 0))
    }

    fn push(&mut self, member: Option<usize>, member_offset: usize, len: usize) {
        if len == 0 {
            return;
        }
        self.segments.push(Segment {
            start: self.len,
            end: self.len + len,
            member,
            member_offset,
            stands_for: None,
        });
        self.len += len;
    }

    /// The unit's text, from each member's bytes.
    pub fn text<'b>(&self, bytes: impl Fn(usize) -> &'b [u8]) -> Vec<u8> {
        let mut text = Vec::with_capacity(self.len);
        let mut replacements = self.replacements.iter();
        for s in &self.segments {
            match s.member {
                Some(_) if s.stands_for.is_some() => {
                    text.extend_from_slice(replacements.next().map_or(&[][..], Vec::as_slice));
                }
                Some(m) => {
                    let from = s.member_offset;
                    text.extend_from_slice(&bytes(self.members[m])[from..from + s.end - s.start]);
                }
                None => text.push(b'\n'),
            }
        }
        blank_declaration_block_macros(&mut text);
        text
    }
}

/// Whether a group of an `#if` chain is compiled, as far as the unit's
/// own macros tell ([`Directives::advance`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Branch {
    Taken,
    Skipped,
    Unknown,
}

impl Branch {
    fn of(truth: cond::Truth) -> Branch {
        match truth {
            cond::Truth::True => Branch::Taken,
            cond::Truth::False => Branch::Skipped,
            cond::Truth::Unknown => Branch::Unknown,
        }
    }

    /// Whether some branch of two is taken: taken when either is, skipped
    /// when both are, else not known.
    fn either(self, other: Branch) -> Branch {
        match (self, other) {
            (Branch::Taken, _) | (_, Branch::Taken) => Branch::Taken,
            (Branch::Skipped, Branch::Skipped) => Branch::Skipped,
            _ => Branch::Unknown,
        }
    }
}

/// One open `#if` group of a reading: its branch now, and whether a
/// branch of its chain so far was taken.
#[derive(Clone, Copy, Debug)]
struct Group {
    now: Branch,
    so_far: Branch,
}

/// Where a reading of one file is in its directives: the next one to
/// read, its open `#if` groups (its include guard's among them, taken),
/// and how many of them are skipped or not known (so that a `#define`
/// deep in nested groups costs no walk over them).
struct Directives {
    next: usize,
    groups: Vec<Group>,
    skipped: usize,
    unknown: usize,
    guard: Option<usize>,
    /// The names the file's own `#define` lines define, read at the first
    /// condition that asks about a name the unit has not defined.
    own: Option<HashSet<Vec<u8>>>,
}

impl Directives {
    /// The start of a reading of the file whose first directive line, if
    /// an include guard, opens at `guard`.
    fn new(guard: Option<usize>) -> Directives {
        Directives {
            next: 0,
            groups: Vec::new(),
            skipped: 0,
            unknown: 0,
            guard,
            own: None,
        }
    }

    /// Reads the directives of the file (`bytes`, `directives`) that start
    /// before `to` into `macros`. A `#define` or `#undef` in a group the
    /// reading skips is not read; in a group not known to be compiled it
    /// makes the name's meaning not known. A group is decided from the
    /// unit's macros so far ([`cond::evaluate`]: `#ifdef NAME`, `#ifndef
    /// NAME`, `#if !defined(NAME)`, `#elif`, `#else`): a name the unit has
    /// defined is defined to `#ifdef`, and in an `#if` stands for its body
    /// when that is one token (else it is not known); a name it has not
    /// defined is not defined only when the file defines it itself (a
    /// default: `#ifndef NAME` / `#define NAME default_cache`) and it lies
    /// outside Python's namespace; any other name is not known (the build,
    /// a system header or Python's headers may define it).
    fn advance(&mut self, bytes: &[u8], directives: &[Directive], to: usize, macros: &mut Macros) {
        while let Some(d) = directives.get(self.next).filter(|d| d.span.start < to) {
            self.next += 1;
            if !d.starts_line {
                continue;
            }
            let compiled = self.state();
            match d.keyword {
                Keyword::If | Keyword::Ifdef | Keyword::Ifndef => {
                    let now = if self.guard == Some(d.span.start) {
                        Branch::Taken
                    } else if compiled == Branch::Skipped {
                        // The whole chain is skipped: no branch of it is
                        // compiled.
                        self.push(Group {
                            now: Branch::Skipped,
                            so_far: Branch::Taken,
                        });
                        continue;
                    } else {
                        self.condition(d, bytes, directives, macros)
                    };
                    self.push(Group { now, so_far: now });
                }
                Keyword::Elif | Keyword::Elifdef | Keyword::Elifndef | Keyword::Else => {
                    let Some(group) = self.pop() else { continue };
                    let now = match group.so_far {
                        Branch::Taken => Branch::Skipped,
                        _ if d.keyword == Keyword::Else => match group.so_far {
                            Branch::Skipped => Branch::Taken,
                            _ => Branch::Unknown,
                        },
                        so_far => match (so_far, self.condition(d, bytes, directives, macros)) {
                            (_, Branch::Skipped) => Branch::Skipped,
                            (Branch::Unknown, _) => Branch::Unknown,
                            (_, now) => now,
                        },
                    };
                    self.push(Group {
                        now,
                        so_far: group.so_far.either(now),
                    });
                }
                Keyword::Endif => {
                    self.pop();
                }
                Keyword::Define if compiled != Branch::Skipped => {
                    macros.define(d.rest(bytes), compiled == Branch::Unknown);
                }
                Keyword::Undef if compiled != Branch::Skipped => {
                    macros.undefine(d.rest(bytes), compiled == Branch::Unknown);
                }
                _ => {}
            }
        }
    }

    /// Whether the code at this point of the reading is compiled.
    fn state(&self) -> Branch {
        if self.skipped > 0 {
            Branch::Skipped
        } else if self.unknown > 0 {
            Branch::Unknown
        } else {
            Branch::Taken
        }
    }

    fn push(&mut self, group: Group) {
        match group.now {
            Branch::Skipped => self.skipped += 1,
            Branch::Unknown => self.unknown += 1,
            Branch::Taken => {}
        }
        self.groups.push(group);
    }

    fn pop(&mut self) -> Option<Group> {
        let group = self.groups.pop()?;
        match group.now {
            Branch::Skipped => self.skipped -= 1,
            Branch::Unknown => self.unknown -= 1,
            Branch::Taken => {}
        }
        Some(group)
    }

    /// Whether the condition of directive `d` holds under `macros`.
    fn condition(
        &mut self,
        d: &Directive,
        bytes: &[u8],
        directives: &[Directive],
        macros: &Macros,
    ) -> Branch {
        let rest = d.rest(bytes);
        let own = self.own.get_or_insert_with(|| {
            directives
                .iter()
                .filter(|d| d.starts_line && d.keyword == Keyword::Define)
                .map(|d| define_name(d, bytes))
                .collect()
        });
        // A value of one token (`#define LEVEL 2`, `#define NAME other`):
        // an expansion then costs a step per level, where bodies of several
        // names each (`#define M1 M0 M0 ...`) would cost their product in
        // every `#if` that names them.
        let lookup = |name: &str| match macros.get(name.as_bytes()) {
            Some(Definition::Known {
                parameters: None,
                body,
                literal: false,
            }) if body.len() == 1 => cond::Macro::Defined(String::from_utf8_lossy(&body[0]).into()),
            Some(_) => cond::Macro::Unknown,
            None if own.contains(name.as_bytes()) && !cond::is_python_name(name) => {
                cond::Macro::Undefined
            }
            None => cond::Macro::Unknown,
        };
        let defined = |negate: bool| {
            let text = rest.trim_ascii();
            let end = text.iter().position(|&b| !is_word(b)).unwrap_or(text.len());
            let name = std::str::from_utf8(&text[..end]).unwrap_or("");
            let known = match macros.get(name.as_bytes()) {
                Some(Definition::Known { .. }) => Some(true),
                Some(Definition::Unknown(_)) => None,
                None => (lookup(name) == cond::Macro::Undefined).then_some(false),
            };
            match known {
                Some(defined) if defined != negate => Branch::Taken,
                Some(_) => Branch::Skipped,
                None => Branch::Unknown,
            }
        };
        match d.keyword {
            Keyword::Ifdef | Keyword::Elifdef => defined(false),
            Keyword::Ifndef | Keyword::Elifndef => defined(true),
            _ => Branch::of(cond::evaluate(rest, &lookup)),
        }
    }
}

/// The include guard of a file (`bytes`, `directives`): its first
/// directive line when that opens one
/// ([`crate::scan::compiled::is_include_guard`]) and its group holds the
/// whole file, no directive and no code after its `#endif`. A group that
/// holds only a default (`#ifndef NAME` / `#define NAME default_cache` /
/// `#endif`, then code) guards nothing: the compiler reads the code after
/// it at every `#include`.
fn wrapping_guard<'d>(bytes: &[u8], directives: &'d [Directive]) -> Option<&'d Directive> {
    let mut lines = directives.iter().filter(|d| d.starts_line);
    let opening = lines
        .next()
        .filter(|d| crate::scan::compiled::is_include_guard(bytes, d.span.start))?;
    let mut depth = 1usize;
    for d in lines.by_ref() {
        match d.keyword {
            Keyword::If | Keyword::Ifdef | Keyword::Ifndef => depth += 1,
            Keyword::Elif | Keyword::Elifdef | Keyword::Elifndef | Keyword::Else if depth == 1 => {
                return None;
            }
            Keyword::Endif => {
                depth -= 1;
                if depth == 0 {
                    let after = crate::scan::lexer::Lexer::at(bytes, d.line_end).next_token(false);
                    return (lines.next().is_none() && after.is_none()).then_some(opening);
                }
            }
            _ => {}
        }
    }
    // Not closed: the group runs to the end of the file.
    Some(opening)
}

/// The name a `#define` directive of `bytes` defines.
fn define_name(d: &Directive, bytes: &[u8]) -> Vec<u8> {
    let rest = d.rest(bytes).trim_ascii_start();
    let end = rest.iter().position(|&b| !is_word(b)).unwrap_or(rest.len());
    rest[..end].to_vec()
}

/// What an included file names and defines, and what closes it to a
/// second `#include`, read once per unit: a checkout that includes one
/// file thousands of times, a `#define` before each, would otherwise have
/// every `#include` scan the file again for each name changed since.
struct Names {
    /// Every identifier-like word of the file's text (a name occurs in
    /// the text as a whole word exactly when it is one of these).
    named: HashSet<Vec<u8>>,
    /// The names its own `#define` lines define.
    defined: HashSet<Vec<u8>>,
    /// It says `#pragma once`.
    pragma_once: bool,
    /// Its include guard's name, when its first directive is one.
    guard: Option<Vec<u8>>,
}

impl Names {
    fn of(bytes: &[u8], directives: &[Directive], text: &[u8]) -> Names {
        let define_name = |d: &Directive| define_name(d, bytes);
        let lines = directives.iter().filter(|d| d.starts_line);
        let pragma_once = lines.clone().any(|d| {
            d.keyword == Keyword::Other && {
                let (word, rest) = crate::scan::index::split_keyword(&bytes[d.span.clone()]);
                word == b"pragma" && rest.trim_ascii().starts_with(b"once")
            }
        });
        let guard = wrapping_guard(bytes, directives)
            .and_then(|_| directives.iter().find(|d| d.keyword == Keyword::Define))
            .map(define_name);
        Names {
            named: text
                .split(|&b| !is_word(b))
                .filter(|w| !w.is_empty())
                .map(<[u8]>::to_vec)
                .collect(),
            defined: directives
                .iter()
                .filter(|d| d.starts_line && d.keyword == Keyword::Define)
                .map(define_name)
                .collect(),
            pragma_once,
            guard,
        }
    }
}

impl Inline<'_, '_> {
    /// What `file` names, defines and is closed by, read at the first ask.
    fn names(&mut self, file: usize) -> &Names {
        let (sources, texts) = (self.sources, self.texts);
        self.names.entry(file).or_insert_with(|| {
            let (bytes, index) = sources(file);
            Names::of(bytes, &index.directives, &bytes[texts[file].clone()])
        })
    }

    /// Whether the compiler reads nothing of `file` when it is included
    /// again: it says `#pragma once`, or its include guard's name is
    /// defined.
    fn closed(&mut self, file: usize) -> bool {
        let names = self.names(file);
        let (pragma_once, guard) = (names.pragma_once, names.guard.clone());
        pragma_once || guard.is_some_and(|g| self.macros.get(&g).is_some())
    }

    /// Records where in the unit's macros `file` is laid out.
    fn snapshot(&mut self, file: usize) {
        self.marks.insert(file, self.macros.mark());
    }

    /// Records where in the unit's macros a reading of `file` ends.
    fn finished(&mut self, file: usize) {
        self.ends.insert(file, self.macros.mark());
    }

    /// Whether `file` reads otherwise than when it was last laid out: a
    /// macro it names, and does not define itself, means something else
    /// than at the start of that reading; or one it names and defines
    /// itself (a default under `#ifndef NAME`, which a definition made
    /// before its `#include` overrides) means something else than at the
    /// end of that reading, when the file's own definition was in force.
    /// When none does, the file reads here as it did then, so its marks
    /// move here: each change of the macros is looked at once per file,
    /// not once per `#include` of it.
    fn reads_anew(&mut self, file: usize) -> bool {
        let Some(&mark) = self.marks.get(&file) else {
            return true;
        };
        let end = self.ends.get(&file).copied().unwrap_or(mark);
        self.names(file);
        let names = &self.names[&file];
        let anew = self
            .macros
            .changed_since(mark)
            .into_iter()
            .any(|name| !names.defined.contains(name) && names.named.contains(name))
            || self
                .macros
                .changed_since(end)
                .into_iter()
                .any(|name| names.defined.contains(name) && names.named.contains(name));
        if !anew {
            self.snapshot(file);
            self.finished(file);
        }
        anew
    }
}

/// The byte range of `bytes` that a unit's text holds: all of it, or what
/// follows a UTF-8 byte order mark.
pub fn text_range(bytes: &[u8]) -> Range<usize> {
    let start = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    start..bytes.len()
}

/// Blanks, in a unit's text, each line that holds nothing but a
/// declaration-block macro (`G_BEGIN_DECLS`, `G_END_DECLS`,
/// `__BEGIN_DECLS`, `CF_EXTERN_C_BEGIN`: an upper-case name that says
/// `DECLS` or `EXTERN_C`). Such a macro expands to `extern "C" {` or `}`
/// for C++ and to nothing for C, but tree-sitter reads the bare name as the
/// start of the next declaration: at the top of a header it hides the
/// object struct that follows, and at the end of an inlined header it
/// swallows the includer's next declaration (a site disappears). Spaces
/// replace the name, so every offset, and so the mapping back to each
/// file, stays as it was.
fn blank_declaration_block_macros(text: &mut [u8]) {
    let mut start = 0;
    while start < text.len() {
        let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i);
        let line = &text[start..end];
        let first = line.iter().position(|b| !b.is_ascii_whitespace());
        let last = line.iter().rposition(|b| !b.is_ascii_whitespace());
        if let (Some(first), Some(last)) = (first, last) {
            let word = &line[first..=last];
            let is_macro_name = word
                .iter()
                .all(|&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                && !word[0].is_ascii_digit()
                && (memchr::memmem::find(word, b"DECLS").is_some()
                    || memchr::memmem::find(word, b"EXTERN_C").is_some());
            if is_macro_name {
                text[start + first..=start + last].fill(b' ');
            }
        }
        start = end + 1;
    }
}

/// Where a span of a unit's text lies: (index into the layout's members,
/// the span in that file), or `None` when it crosses from one file into
/// another. An empty span (an insertion) at the boundary of two files
/// belongs to the file whose text holds the next byte, or, when that is an
/// added line break, to the file that ends there. A span over a name that
/// a macro of its reading expands to ([`Segment::stands_for`]) covers the
/// name as written.
pub fn map_span(segments: &[Segment], span: Span) -> Option<(usize, Span)> {
    let at = segments.partition_point(|s| s.end <= span.start);
    let (first, member) = match segments.get(at).filter(|s| s.start <= span.start) {
        Some(s) if s.member.is_some() => (at, s.member?),
        _ if span.start == span.end => {
            let before = at.checked_sub(1)?;
            let s = segments.get(before).filter(|s| s.end == span.start)?;
            (before, s.member?)
        }
        _ => return None,
    };
    // The segment holding the span's end: the first, or one after it of
    // the same member whose bytes follow on without a gap.
    let mut last = first;
    while segments[last].end < span.end {
        let (this, next) = (&segments[last], segments.get(last + 1)?);
        if next.member != Some(member)
            || next.member_offset != this.member_offset + this.member_len()
        {
            return None;
        }
        last += 1;
    }
    Some((
        member,
        Span {
            start: segments[first].member_position(span.start),
            end: segments[last].member_position(span.end),
        },
    ))
}

/// Where byte `offset` of member `member`'s own text lies in a unit's
/// text: one offset for each segment that copies it (a file included twice
/// without a guard is copied twice), none when its unit leaves it out.
pub fn unit_offsets(segments: &[Segment], member: usize, offset: usize) -> Vec<usize> {
    segments
        .iter()
        .filter(|s| s.member == Some(member))
        .filter(|s| s.member_offset <= offset && offset < s.member_offset + s.member_len())
        // A name a macro stands for is the identifier it expands to.
        .map(|s| match s.stands_for {
            Some(_) => s.start,
            None => s.start + (offset - s.member_offset),
        })
        .collect()
}

/// The first name in a span of a unit's text that a macro of its
/// reading expands to ([`Segment::stands_for`]), as [`map_span`] places
/// it: an edit there would rewrite the name as written, which every
/// reading of the file shares. Of several, the first inside `prefer` (the
/// declarator of the variable an edit is for, in a declaration of two
/// macro-made names). `None` when the span touches none.
pub fn through_macro(segments: &[Segment], span: Span, prefer: Span) -> Option<(usize, Span)> {
    let at = segments.partition_point(|s| s.end <= span.start);
    let mut touched = segments[at..]
        .iter()
        .take_while(|s| s.start < span.end.max(span.start + 1))
        .filter(|s| s.stands_for.is_some())
        .filter(|s| {
            if span.start == span.end {
                s.start < span.start && span.start < s.end
            } else {
                s.start < span.end && span.start < s.end
            }
        });
    let first = touched.clone().next()?;
    let s = touched
        .find(|s| prefer.start <= s.start && s.end <= prefer.end)
        .unwrap_or(first);
    map_span(
        segments,
        Span {
            start: s.start,
            end: s.end,
        },
    )
}

/// Words whose presence anywhere in a unit changes what it is (an object
/// struct's header; the limited API, CPython's core; how and when the
/// module initialises, which decides whether fixes are safe and which
/// statics are set once: a module definition, its slots and claims, a
/// macro that spells the init function `PyInit_##name` or creates the
/// module): a file of the unit that holds one is always parsed with it.
pub const UNIT_WIDE_WORDS: &[&str] = &[
    "PyObject_HEAD",
    "PyObject_VAR_HEAD",
    "ob_base",
    "Py_LIMITED_API",
    "Py_BUILD_CORE",
    "pycore_",
    "PyModule_Create",
    "PyModuleDef",
    "Py_mod_",
    "PyInit_",
    "Py_InitModule",
];

/// Type names and keywords that a static's declaration holds and that many
/// files mention without defining anything the analysis reads: a file is
/// not parsed with a unit for mentioning one of them.
pub fn is_well_known_name(name: &[u8]) -> bool {
    const KEYWORDS: &[&str] = &[
        "const",
        "volatile",
        "struct",
        "union",
        "enum",
        "unsigned",
        "signed",
        "char",
        "short",
        "int",
        "long",
        "float",
        "double",
        "void",
        "register",
        "_Thread_local",
        "__thread",
        "Py_ssize_t",
        "size_t",
    ];
    let text = std::str::from_utf8(name).unwrap_or("");
    KEYWORDS.contains(&text)
        || text == "PyObject"
        || (text.starts_with("Py") && text.ends_with("Object"))
        || crate::options::HEADER_POINTER_TYPEDEFS.contains(&text)
}

/// Whether byte `b` may stand in a C identifier or number (ASCII letter,
/// digit, `_`): the one test of the scan's word readers.
pub(crate) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Where `name` occurs in `bytes` as a whole identifier (byte offsets, in
/// order).
pub(crate) fn occurrences<'b>(bytes: &'b [u8], name: &'b [u8]) -> impl Iterator<Item = usize> + 'b {
    memchr::memmem::find_iter(bytes, name).filter(move |&at| {
        let end = at + name.len();
        (at == 0 || !is_word(bytes[at - 1])) && bytes.get(end).is_none_or(|&b| !is_word(b))
    })
}

/// Where `name` first occurs in `bytes` as a whole identifier.
pub fn find_word(bytes: &[u8], name: &[u8]) -> Option<usize> {
    occurrences(bytes, name).next()
}

/// Where `name` is first used in `bytes` as the code reads it: an
/// identifier outside comments and literals, in the code or in a
/// directive, but not as the parameter of a function-like macro, in its
/// parameter list or its body (`#define CAST(func) ((PyCFunction)(func))`
/// names a parameter, not the variable `func`).
pub fn find_use(bytes: &[u8], name: &[u8]) -> Option<usize> {
    find_word(bytes, name)?;
    let offset = |token: &[u8]| token.as_ptr() as usize - bytes.as_ptr() as usize;
    let mut lexer = crate::scan::lexer::Lexer::at(bytes, 0);
    while let Some(token) = lexer.next_token(false) {
        match token {
            crate::scan::lexer::Token::Ident(word) if word == name => return Some(offset(word)),
            crate::scan::lexer::Token::Directive(text) => {
                let Some(at) = find_word(text, name) else {
                    continue;
                };
                if !macro_parameters(text).contains(&name) {
                    return Some(offset(text) + at);
                }
            }
            _ => {}
        }
    }
    None
}

/// The parameters of a function-like `#define` directive's text (none for
/// any other directive).
fn macro_parameters(directive: &[u8]) -> Vec<&[u8]> {
    let Some(text) = directive[1..].trim_ascii_start().strip_prefix(b"define") else {
        return Vec::new();
    };
    let text = text.trim_ascii_start();
    let name_end = text.iter().position(|&b| !is_word(b)).unwrap_or(text.len());
    let Some(rest) = text[name_end..].strip_prefix(b"(") else {
        return Vec::new();
    };
    let Some(close) = rest.iter().position(|&b| b == b')') else {
        return Vec::new();
    };
    rest[..close]
        .split(|&b| b == b',')
        .map(|p| p.trim_ascii())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The names of the inline functions that `bytes` defines at file scope:
/// `inline` (or a word holding it: `__inline__`, `Py_LOCAL_INLINE(int)`)
/// in the declaration, then an identifier, a parenthesised parameter list
/// and a body (`static inline int step(PyObject *m) {`), outside any
/// brace, read from the code's tokens (comments, literals and directives
/// are none). A name a macro makes (`NS(step)(PyObject *m) {`) is not
/// read. In source order, with repeats.
pub fn defined_inline_functions(bytes: &[u8]) -> Vec<&[u8]> {
    use crate::scan::lexer::{Lexer, Token};
    let mut lexer = Lexer::at(bytes, 0);
    let mut found = Vec::new();
    let mut depth = 0usize;
    // The identifier just before an open parenthesis at depth 0, the
    // parentheses' depth after it, and whether the list has closed.
    let mut last_name: Option<&[u8]> = None;
    let mut open: Option<(&[u8], usize)> = None;
    let mut closed: Option<&[u8]> = None;
    // Whether the declaration so far holds `inline`.
    let mut inline = false;
    while let Some(token) = lexer.next_token(true) {
        match token {
            Token::Punct(b"{") => {
                if depth == 0 {
                    if let Some(name) = closed.take().filter(|_| inline) {
                        found.push(name);
                    }
                }
                inline = false;
                depth += 1;
                open = None;
                last_name = None;
            }
            Token::Punct(b"}") => {
                depth = depth.saturating_sub(1);
                inline = false;
                open = None;
                closed = None;
                last_name = None;
            }
            _ if depth > 0 => {}
            Token::Ident(name) => {
                inline |= name.windows(6).any(|w| w.eq_ignore_ascii_case(b"inline"));
                last_name = Some(name);
                closed = None;
            }
            Token::Punct(b";") => {
                inline = false;
                open = None;
                closed = None;
                last_name = None;
            }
            Token::Punct(b"(") => {
                open = match open {
                    Some((name, parens)) => Some((name, parens + 1)),
                    None => last_name.map(|n| (n, 1)),
                };
                closed = None;
            }
            Token::Punct(b")") => match open {
                Some((name, 1)) => {
                    open = None;
                    closed = Some(name);
                    last_name = None;
                }
                Some((name, parens)) => open = Some((name, parens - 1)),
                None => closed = None,
            },
            Token::Directive(_) => {}
            _ => {
                if open.is_none() {
                    closed = None;
                    last_name = None;
                }
            }
        }
    }
    found
}

/// Whether `name` occurs in `bytes` as a whole identifier.
pub fn mentions(bytes: &[u8], name: &[u8]) -> bool {
    occurrences(bytes, name).next().is_some()
}

/// Whether `bytes` may define the function `name`: its name, a
/// parenthesised parameter list and a body (`name(PyObject **slot) {`),
/// or a function-like macro of that name (which a call reaches as well).
/// Errs towards yes.
pub fn defines_function(bytes: &[u8], name: &[u8]) -> bool {
    occurrences(bytes, name).any(|at| {
        let rest = &bytes[at + name.len()..];
        let Some(open) = rest.iter().position(|b| !b.is_ascii_whitespace()) else {
            return false;
        };
        if rest[open] != b'(' {
            return false;
        }
        let before = bytes[..at].trim_ascii_end();
        if before.ends_with(b"define") {
            return true;
        }
        let mut depth = 0usize;
        for (i, &b) in rest[open..].iter().enumerate() {
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        let after = &rest[open + i + 1..];
                        return after.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
                    }
                }
                b';' | b'{' | b'}' => return false,
                _ => {}
            }
        }
        false
    })
}

/// Whether `bytes` may define the type `name`: a body follows it (`struct
/// name {`), or a body or the word `typedef` comes before it in its
/// declaration (`typedef struct {…} name;`, `typedef struct x *name;`).
/// Errs towards yes.
pub fn defines_type(bytes: &[u8], name: &[u8]) -> bool {
    occurrences(bytes, name).any(|at| {
        let after = bytes[at + name.len()..]
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        if after == Some(&b'{') {
            return true;
        }
        let before = &bytes[..at];
        let last = before.iter().rposition(|b| !b.is_ascii_whitespace());
        if last.is_some_and(|i| before[i] == b'}') {
            return true;
        }
        let start = before
            .iter()
            .rposition(|&b| b == b';' || b == b'{' || b == b'}' || b == b'#')
            .map_or(0, |i| i + 1);
        occurrences(&before[start..], b"typedef").next().is_some()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_macro_parameter_is_not_a_use() {
        use super::find_use;
        let text = b"#define CAST(func) ((PyCFunction)(func))\n/* func */ \"func\"\n";
        assert_eq!(find_use(text, b"func"), None);
        let text = b"#define CALL(f) f(func)\nx = 1;\n";
        assert_eq!(find_use(text, b"func"), Some(18));
        let text = b"#define F(a) a\nreturn func;\n";
        assert_eq!(find_use(text, b"func"), Some(22));
    }

    use super::*;

    #[test]
    fn function_definitions_by_name() {
        let text = b"static int fill(PyObject **slot);\n\
                     static inline PyObject *\nlazy(PyObject **slot, f(x))\n{ return *slot; }\n\
                     #define LAZY(v) lazy(&(v), 0)\nint y = fill(&x);\n";
        assert!(defines_function(text, b"lazy"));
        assert!(defines_function(text, b"LAZY"));
        assert!(!defines_function(text, b"fill"));
        assert!(!defines_function(text, b"f"));
        assert!(!defines_function(text, b"slot"));
    }

    #[test]
    fn includes_of_every_form() {
        let text = b"#include <Python.h>\n#include \"a.h\"\n#define HDR \"b.h\"\n#define SYS <c/d.h>\n\
                     #include HDR\n#include SYS\n#include UNKNOWN_HEADER\n#define HDRX 1\n#include HDRX\n";
        let found: Vec<(String, IncludeForm)> = includes(text)
            .into_iter()
            .map(|i| (i.name, i.form))
            .collect();
        let e = |name: &str, form| (name.to_owned(), form);
        assert_eq!(
            found,
            [
                e("Python.h", IncludeForm::Angle),
                e("a.h", IncludeForm::Quoted),
                e("b.h", IncludeForm::Quoted),
                e("c/d.h", IncludeForm::Angle),
                e("UNKNOWN_HEADER", IncludeForm::Computed),
                e("HDRX", IncludeForm::Computed),
            ]
        );
        let quoted: Vec<String> = quoted_includes(text).into_iter().map(|i| i.name).collect();
        assert_eq!(quoted, ["a.h", "b.h"]);
    }

    #[test]
    fn quoted_includes_of_a_lone_cr_file() {
        // An old Mac file: a lone CR ends each line, as the compiler reads
        // it; the included text goes right after the directive's CR.
        let text = b"/* top */\r#include \"a.h\"\r#include \"b.h\"\r\nint x;\r";
        let found = quoted_includes(text);
        let names: Vec<&str> = found.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["a.h", "b.h"]);
        assert_eq!(found[0].line_end, 25);
        assert_eq!(found[1].line_end, 41, "after the CRLF");
    }

    #[test]
    fn roots_are_files_nobody_includes_and_cycles_get_one() {
        // 0 includes 1; 1 includes 2; 3 and 4 include each other.
        let edges = vec![vec![1], vec![2], vec![], vec![4], vec![3]];
        assert_eq!(roots(&edges, 5, &[0, 1, 2, 3, 4]), [0, 3]);
        // A file that includes itself is still a root.
        assert_eq!(roots(&[vec![0]], 1, &[0]), [0]);
    }

    #[test]
    fn declaration_block_macros_are_blanked_in_place() {
        let mut text =
            b"G_BEGIN_DECLS\ntypedef int t;\n  G_END_DECLS  \nGOOD_NAME\nx = DECLS_y;\n".to_vec();
        let len = text.len();
        blank_declaration_block_macros(&mut text);
        assert_eq!(text.len(), len);
        assert_eq!(
            text,
            b"             \ntypedef int t;\n               \nGOOD_NAME\nx = DECLS_y;\n"
        );
    }

    #[test]
    fn a_part_is_laid_out_once_per_reading_with_its_macros() {
        // The part's name is a macro the root defines again between its
        // two includes; a guarded header included twice is read once.
        let root = b"#define N a\n#include \"p\"\n#undef N\n#define N b\n#include \"p\"\n\
                     #include \"g\"\n#include \"g\"\n"
            .to_vec();
        let part = b"int N;\n".to_vec();
        let guarded = b"#ifndef G\n#define G\nint N;\n#endif\n".to_vec();
        let ends: Vec<usize> = includes(&root).iter().map(|i| i.line_end).collect();
        let includes = vec![
            vec![(ends[0], 1), (ends[1], 1), (ends[2], 2), (ends[3], 2)],
            vec![],
            vec![],
        ];
        let files = [&root, &part, &guarded];
        let indexes: Vec<Index> = files.iter().map(|f| Index::of(f.as_slice())).collect();
        let texts: Vec<Range<usize>> = files.iter().map(|f| 0..f.len()).collect();
        let sources = |f: usize| (&files[f][..], &indexes[f]);
        let layout = Layout::of(0, &includes, &texts, &|_| true, &sources);
        assert_eq!(layout.members, [0, 1, 1, 2]);
        assert_eq!(
            layout.readings.len(),
            3,
            "the guarded header's second include reads nothing"
        );
        let text = layout.text(|f| files[f]);
        let text = String::from_utf8(text).unwrap();
        let a = text.find("int a;").unwrap() + 4;
        let b = text.find("int b;").unwrap() + 4;
        assert!(
            text.contains("int N;"),
            "the guarded header is no part read twice"
        );
        let one = |start, end| Span { start, end };
        assert_eq!(
            map_span(&layout.segments, one(b, b + 1)),
            Some((2, one(4, 5)))
        );
        assert_eq!(
            map_span(&layout.segments, one(a - 4, a + 2)),
            Some((1, one(0, 6)))
        );
        assert_eq!(
            through_macro(&layout.segments, one(a - 4, a + 2), one(0, 0)),
            Some((1, one(4, 5)))
        );
        assert_eq!(
            through_macro(&layout.segments, one(a - 4, a - 1), one(0, 0)),
            None
        );
    }

    /// The unit text of `files` (file 0 the root), each include of a
    /// file named by its index (`#include "1"`).
    fn unit_text(files: &[&[u8]]) -> (Layout, String) {
        let includes: Vec<Vec<(usize, usize)>> = files
            .iter()
            .map(|f| {
                includes(f)
                    .iter()
                    .map(|i| (i.line_end, i.name.parse().unwrap()))
                    .collect()
            })
            .collect();
        let indexes: Vec<Index> = files.iter().map(|f| Index::of(f)).collect();
        let texts: Vec<Range<usize>> = files.iter().map(|f| text_range(f)).collect();
        let sources = |f: usize| (files[f], &indexes[f]);
        let layout = Layout::of(0, &includes, &texts, &|_| true, &sources);
        let text = String::from_utf8(layout.text(|f| files[f])).unwrap();
        (layout, text)
    }

    #[test]
    fn a_part_that_gives_its_name_a_default_is_read_under_each_name() {
        // The default (`#ifndef NAME`) is no include guard: the code after
        // its `#endif` is read again at the second include, under the
        // includer's `NAME`, and the default is skipped there.
        for part in [
            "#ifndef NAME\n#define NAME default_cache\n#endif\nint NAME;\n",
            "#if !defined(NAME)\r\n#define NAME default_cache\r\n#endif\r\nint NAME;\r\n",
            "#ifdef NAME\n#else\n#define NAME default_cache\n#endif\nint NAME;\n",
        ] {
            let root = b"#include \"1\"\n#undef NAME\n#define NAME other_cache\n#include \"1\"\n";
            let (layout, text) = unit_text(&[root, part.as_bytes()]);
            assert_eq!(layout.members, [0, 1, 1], "{part}");
            assert!(text.contains("int default_cache;"), "{part}: {text}");
            assert!(text.contains("int other_cache;"), "{part}: {text}");
        }
        // A guard that wraps the file still closes it.
        let guarded = b"#ifndef G\n#define G\nint NAME;\n#endif /* G */\n";
        let root = b"#define NAME a\n#include \"1\"\n#undef NAME\n#define NAME b\n#include \"1\"\n";
        let (layout, _) = unit_text(&[root, guarded]);
        assert_eq!(layout.members, [0, 1]);
        // A name the file does not define itself may come from the build:
        // its group is not known, and neither is what it defines.
        let part = b"#ifndef HAVE_X\n#define NAME x_cache\n#endif\nint NAME;\n";
        let (_, text) = unit_text(&[b"#include \"1\"\n", part]);
        assert!(text.contains("int NAME;"), "{text}");
    }

    #[test]
    fn a_name_a_macro_makes_is_the_name_it_expands_to() {
        let root = b"#define CAT_(a, b) a##b\n#define CAT(a, b) CAT_(a, b)\n#define NAME obj\n\
                     static PyObject *CAT(cache_, a) = NULL, *NAME;\n\
                     void f(void) { if (!CAT(cache_, a)) CAT(cache_, a) = NAME = g(CAT(x, y)); }\n";
        let (layout, text) = unit_text(&[root]);
        assert!(!layout.is_single_file(), "the text is not the file's own");
        assert!(
            text.contains(
                "static PyObject *cache_a = NULL, *obj;\n\
                 void f(void) { if (!cache_a) cache_a = obj = g(xy); }"
            ),
            "{text}"
        );
        let at = text.find("cache_a = NULL").unwrap();
        let one = |start, end| Span { start, end };
        assert_eq!(
            map_span(&layout.segments, one(at, at + 7)),
            Some((0, one(at, at + 14))),
            "the name maps back to the invocation"
        );
        // Without a macro in a declarator, the file is read as it is.
        let (layout, _) = unit_text(&[b"#define CAT(a, b) a##b\nint x = CAT(a, b);\n"]);
        assert!(layout.is_single_file());
    }

    #[test]
    fn layout_inlines_each_file_once_and_maps_back() {
        // 0: "#include \"1\"\nA;\n#include \"1\"\n"; 1: "B;" includes 0 (a cycle).
        let root = b"#include \"1\"\nA;\n#include \"1\"\n".to_vec();
        let part = b"#include \"0\"\nB;".to_vec();
        let includes = vec![vec![(13, 1), (29, 1)], vec![(13, 0)]];
        let texts = [0..root.len(), 0..part.len()];
        let files = [&root, &part];
        let indexes: Vec<Index> = files.iter().map(|f| Index::of(f.as_slice())).collect();
        let sources = |f: usize| (&files[f][..], &indexes[f]);
        let layout = Layout::of(0, &includes, &texts, &|_| true, &sources);
        let files = [&root, &part];
        let text = layout.text(|f| files[f]);
        assert_eq!(
            String::from_utf8(text.clone()).unwrap(),
            "#include \"1\"\n\n#include \"0\"\nB;\nA;\n#include \"1\"\n"
        );
        assert_eq!(layout.members, [0, 1]);
        let b = text.iter().position(|&c| c == b'B').unwrap();
        let a = text.iter().position(|&c| c == b'A').unwrap();
        let one = |start, end| Span { start, end };
        assert_eq!(
            map_span(&layout.segments, one(b, b + 2)),
            Some((1, one(13, 15)))
        );
        assert_eq!(
            map_span(&layout.segments, one(a, a + 2)),
            Some((0, one(13, 15)))
        );
        // An insertion after the root's include line is the root's; one at
        // the start of the part is the part's; a span across files is none.
        assert_eq!(
            map_span(&layout.segments, one(13, 13)),
            Some((0, one(13, 13)))
        );
        assert_eq!(
            map_span(&layout.segments, one(14, 14)),
            Some((1, one(0, 0)))
        );
        assert_eq!(map_span(&layout.segments, one(b, a)), None);
        // A file left out is still a member; its text is not there.
        let without = Layout::of(0, &includes, &texts, &|f| f != 1, &sources);
        assert_eq!(without.members, [0, 1]);
        assert!(without.is_single_file());
        assert!(defines_type(
            b"typedef struct {\n int n;\n} Frame;",
            b"Frame"
        ));
        assert!(defines_type(b"struct Frame {", b"Frame"));
        assert!(defines_type(b"typedef struct frame *Frame;", b"Frame"));
        assert!(!defines_type(
            b"static Frame *n; Frame *make(void);",
            b"Frame"
        ));
        assert_eq!(
            without.text(|f| files[f]),
            b"#include \"1\"\n\n\nA;\n#include \"1\"\n"
        );
    }
}
