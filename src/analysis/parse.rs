//! Parsing. Each worker thread owns one `Parser` (tree-sitter parsers are
//! not `Sync` and are costly to create per file): [`with_parser`].

use std::cell::RefCell;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use tree_sitter::{Node, Parser, Tree};

use crate::analysis::queries;
use crate::diagnostic::Span;
use crate::scan::lexer::{Lexer, Token};

mod edited;
pub use edited::{BrokenText, TextEdit};

/// A tree-sitter node's id, as a key in maps and sets of nodes: unique
/// among the nodes of one tree (and only meaningful there). A newtype, so
/// that a node id is never mixed up with an offset, an index or a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(usize);

/// [`NodeId`] of a node: `node.node_id()` where tree-sitter has
/// `node.node_id()`.
pub trait HasNodeId {
    /// The node's id.
    fn node_id(&self) -> NodeId;
}

impl HasNodeId for Node<'_> {
    fn node_id(&self) -> NodeId {
        NodeId(self.id())
    }
}

/// A new parser for C (the grammar of [`queries::language`]). Prefer
/// [`with_parser`], which reuses this thread's.
///
/// # Panics
///
/// When the bundled `tree-sitter-c` grammar's ABI version is one the
/// `tree-sitter` runtime does not accept: a build mistake, not an input.
pub fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&queries::language())
        .expect("the bundled tree-sitter-c grammar matches the tree-sitter runtime");
    parser
}

thread_local! {
    /// This thread's parser, made on its first use. (rayon's `map_init`
    /// would make one per job, and a job is any split of the work, so only a
    /// thread-local bounds them to one a thread.)
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

/// Runs `f` with this thread's parser. `f` must not call `with_parser`
/// itself (the parser is borrowed while it runs).
pub fn with_parser<R>(f: impl FnOnce(&mut Parser) -> R) -> R {
    PARSER.with_borrow_mut(f)
}

/// Parses `bytes`.
///
/// tree-sitter reads a view of `bytes` with the same length, so that every
/// offset, and so every node's span into `bytes`, stays the same:
///
/// * A lone CR (old Mac line ends) ends a line for a C compiler, which
///   takes LF, CRLF and CR alike, but tree-sitter-c ends a preprocessor
///   line or a `//` comment only at LF: a file of CR lines would be one
///   directive (no site seen), and an `#include` line inserted with the
///   file's own CR would swallow the rest. Each lone CR is given as LF.
/// * A UTF-8 byte order mark starts a file for a compiler (each file of a
///   translation unit may have one), but tree-sitter skips it only at the
///   start of its text: in a unit's text, a header's mark was a syntax
///   error that hid the header's sites. Each mark is given as three spaces.
/// * `PyObject_HEAD` and its kin (`PyObject_VAR_HEAD`, `PyException_HEAD`) end an object
///   struct's first member without a semicolon: tree-sitter read the member
///   after it as part of one declaration, a syntax error in almost every
///   extension (reported as a file with parse errors). Each is given as a
///   member declaration of its length (`int ________;`).
/// * A `/* … */` comment with more of a `#define`'s body after it ends the
///   body for tree-sitter-c (a syntax error that loses the macro); for the
///   preprocessor it is one blank (C11 5.1.1.2, phase 3). Each is given
///   as blanks.
/// * C11's `_Thread_local`, which tree-sitter-c does not know (it read
///   `static _Thread_local PyObject *v;` as a declaration of type
///   `_Thread_local *` with a syntax error, and the static as no object),
///   is given as C23's `thread_local`, which it knows, and a blank.
///
/// tree-sitter-c's grammar takes no conditional directive inside an
/// initializer list (its issue #324 says the same of `#line`): the slot
/// array that supports older Pythons with `#ifdef Py_mod_gil {Py_mod_gil,
/// Py_MOD_GIL_NOT_USED}, #endif` breaks into ERROR nodes, and the claim in
/// it is lost. When the tree has errors and such directives exist, they
/// are read as blanks (every byte but line breaks, so offsets stay), both
/// branches kept, as [`crate::scan::cond`] keeps the branches of a
/// condition it cannot decide; the tree with fewer errors is taken.
///
/// The C API's macros that open a block and the ones that close it
/// (`Py_BEGIN_ALLOW_THREADS` expands to `{ PyThreadState *_save; …`,
/// `Py_END_ALLOW_THREADS` to `…; }`, as do `Py_TRASHCAN_BEGIN(op, f)` and
/// `Py_TRASHCAN_END` with `do { … } while (0);`) hide their braces: the
/// function around them breaks into ERROR nodes, which can swallow the
/// file-scope declarations after it. Each pair that matches in one branch
/// of the `#if`s around it is read as the braces it expands to, padded
/// with blanks, from the first reading on.
///
/// A file that parses cleanly is parsed once.
///
/// tree-sitter's parser recurses in C (`stack_node_add_link` merges two
/// versions of its parse stack node by node), so a run of comments where
/// the parse is ambiguous recursed once per comment and overflowed the
/// thread's stack: the whole process aborted. Each parse runs on a stack
/// of [`parse_stack_size`] for the text: in place when that fits in the
/// [`STACK_IN_PLACE`] any thread can lend, else on a thread of its own.
/// That stack is at most [`MAX_PARSE_STACK`]: a longer text is not parsed.
///
/// # Errors
///
/// [`ParseFailure::Cancelled`] when tree-sitter gives up, which the caller
/// reports as a parse failure of that file; [`ParseFailure::TooLarge`]
/// when the text is longer than [`MAX_PARSE_BYTES`] (its stack would be
/// over [`MAX_PARSE_STACK`]); [`ParseFailure::Stack`] when no thread with
/// the stack the text needs can be started (the memory limit is too low
/// for this text).
pub fn parse(parser: &mut Parser, bytes: &[u8]) -> Result<Tree, ParseFailure> {
    parse_keeping_read(parser, bytes).map(|(tree, _)| tree)
}

/// [`parse`], and the text tree-sitter read when its first parse had no
/// error (no repair tried): what [`reparse`] takes.
///
/// # Errors
///
/// As [`parse`].
pub fn parse_keeping_read(
    parser: &mut Parser,
    bytes: &[u8],
) -> Result<(Tree, Option<Vec<u8>>), ParseFailure> {
    too_large(bytes)?;
    let text = read_text(bytes);
    let tree = parse_on_stack(parser, &text, None)?;
    if tree.root_node().has_error() {
        return Ok((repair(parser, tree, text), None));
    }
    Ok((tree, Some(text.into_owned())))
}

/// The text tree-sitter reads for `bytes` (see [`parse`]), before any
/// repair: the compiler's view, comments in definitions and brace macros
/// blanked. As long as `bytes`.
fn read_text(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let mut text = match compiler_view(bytes) {
        Some(view) => std::borrow::Cow::Owned(view),
        None => std::borrow::Cow::Borrowed(bytes),
    };
    // Such a comment is always a syntax error: read as a blank from the
    // first parse on (no second parse).
    if may_hold_comments_in_definitions(&text) {
        let comments = comments_in_definitions(&text);
        if !comments.is_empty() {
            let repaired = text.to_mut();
            for range in comments {
                blank(&mut repaired[range]);
            }
        }
    }
    let braces = brace_macros(&text);
    if !braces.is_empty() {
        let repaired = text.to_mut();
        for (range, brace) in braces {
            blank(&mut repaired[range.clone()]);
            repaired[range.start] = brace;
        }
    }
    text
}

/// The repairs of [`parse`] tried on `tree`, the first parse of `text`, which
/// has errors: the tree kept.
fn repair(parser: &mut Parser, mut tree: Tree, mut text: std::borrow::Cow<'_, [u8]>) -> Tree {
    // Repairs tried in turn where the parse has errors, each kept only
    // when it leaves fewer: offsets stay, so the tree still maps onto
    // `bytes`.
    // A function-defining macro's invocation keeps its name, and its
    // argument list becomes blanks ended by `;` (`NAME      ;`): an item
    // of its own, where the call graph finds the function it defines.
    let repairs: [(Repair, bool); 2] = [
        (directives_in_initializers, false),
        (function_macro_uses, true),
    ];
    for (repair, ends_item) in repairs {
        if !tree.root_node().has_error() {
            break;
        }
        let ranges = repair(&text);
        if ranges.is_empty() {
            continue;
        }
        // The first tree, told of each range rewritten in place, so that
        // tree-sitter parses again only around the ranges and reuses the
        // rest (the whole second parse of a unit cost as much as the
        // first: issue 23).
        let mut edited = tree.clone();
        for edit in same_length_edits(&text, &ranges) {
            edited.edit(&edit);
        }
        let blanked = repaired(&text, ranges, ends_item);
        if let Ok(better) = parse_on_stack(parser, &blanked, Some(&edited)) {
            if error_count(&better) < error_count(&tree) {
                tree = better;
                text = std::borrow::Cow::Owned(blanked);
            }
        }
    }
    tree
}

/// `bytes` parsed again from `old`, the clean tree of `old_read` (the
/// text read for another text, [`parse_keeping_read`]), told of
/// `changes`: the byte ranges of `old_read` each replaced by a number of
/// bytes (sorted, disjoint) to give `bytes`. tree-sitter then parses only
/// around the changes and reuses the rest of `old`, where [`parse`] would
/// parse the whole text. `None` when the text read for `bytes` differs from
/// `old_read` outside the changes, or the parse fails.
pub fn reparse(
    parser: &mut Parser,
    old: &Tree,
    old_read: &[u8],
    bytes: &[u8],
    changes: &[(std::ops::Range<usize>, usize)],
) -> Option<Tree> {
    if too_large(bytes).is_err() || old.root_node().has_error() {
        return None;
    }
    let read = read_text(bytes);
    // The texts read agree outside the changes.
    let (mut at_old, mut at_new) = (0, 0);
    for (range, len) in changes {
        let n = range.start.checked_sub(at_old)?;
        let same = (
            old_read.get(at_old..range.start)?,
            read.get(at_new..at_new + n)?,
        );
        if same.0 != same.1 || range.end < range.start {
            return None;
        }
        at_new += same.0.len() + len;
        at_old = range.end;
    }
    if old_read.get(at_old..) != read.get(at_new..) {
        return None;
    }
    // The edits, last first: each in the coordinates of a text whose
    // earlier bytes are still `old_read`'s.
    let mut edited = old.clone();
    let mut shift = changes
        .iter()
        .map(|(range, len)| *len as isize - range.len() as isize)
        .sum::<isize>();
    for (range, len) in changes.iter().rev() {
        shift -= *len as isize - range.len() as isize;
        let new_start = range.start.wrapping_add_signed(shift);
        let start_position = point_at(old_read, range.start);
        let end = start_position_after(start_position, &read[new_start..new_start + len]);
        edited.edit(&tree_sitter::InputEdit {
            start_byte: range.start,
            old_end_byte: range.end,
            new_end_byte: range.start + len,
            start_position,
            old_end_position: point_at(old_read, range.end),
            new_end_position: end,
        });
    }
    parse_on_stack(parser, &read, Some(&edited)).ok()
}

/// The 0-based row and byte column of `offset` in `bytes`.
fn point_at(bytes: &[u8], offset: usize) -> tree_sitter::Point {
    let before = &bytes[..offset];
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    tree_sitter::Point {
        row: memchr::memchr_iter(b'\n', before).count(),
        column: offset - line_start,
    }
}

/// The point after `bytes` written from `start`.
fn start_position_after(start: tree_sitter::Point, bytes: &[u8]) -> tree_sitter::Point {
    match memchr::memrchr(b'\n', bytes) {
        Some(last) => tree_sitter::Point {
            row: start.row + memchr::memchr_iter(b'\n', bytes).count(),
            column: bytes.len() - last - 1,
        },
        None => tree_sitter::Point {
            row: start.row,
            column: start.column + bytes.len(),
        },
    }
}

/// `bytes` with each of `ranges` blanked ([`blank`]), its last byte a `;`
/// when `ends_item`: the text of a repair's second parse.
fn repaired(bytes: &[u8], ranges: Vec<std::ops::Range<usize>>, ends_item: bool) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for range in ranges {
        let end = range.end;
        blank(&mut out[range]);
        if ends_item {
            out[end - 1] = b';';
        }
    }
    out
}

/// The edits that tell a tree parsed from `bytes` that each of `ranges`
/// (byte ranges, in any order) was rewritten with as many bytes and the
/// same line breaks, so offsets and rows stay: start and end as byte
/// offsets and 0-based rows and byte columns, old end and new end alike.
/// One pass over `bytes` for all of them.
fn same_length_edits(
    bytes: &[u8],
    ranges: &[std::ops::Range<usize>],
) -> Vec<tree_sitter::InputEdit> {
    let mut offsets: Vec<usize> = ranges.iter().flat_map(|r| [r.start, r.end]).collect();
    offsets.sort_unstable();
    offsets.dedup();
    // The row and column of each offset, walking the text once.
    let mut points = std::collections::HashMap::with_capacity(offsets.len());
    let (mut at, mut row, mut line_start) = (0, 0, 0);
    for offset in offsets {
        for i in memchr::memchr_iter(b'\n', &bytes[at..offset]) {
            row += 1;
            line_start = at + i + 1;
        }
        at = offset;
        let point = tree_sitter::Point {
            row,
            column: offset - line_start,
        };
        points.insert(offset, point);
    }
    ranges
        .iter()
        .map(|range| tree_sitter::InputEdit {
            start_byte: range.start,
            old_end_byte: range.end,
            new_end_byte: range.end,
            start_position: points[&range.start],
            old_end_position: points[&range.end],
            new_end_position: points[&range.end],
        })
        .collect()
}

/// A repair of the text before a second parse: the byte ranges it blanks.
type Repair = fn(&[u8]) -> Vec<std::ops::Range<usize>>;

/// The byte ranges of the argument lists (`(alpha)`, with the blanks
/// before it in `DEF_GETTER (alpha)`) of the lines that hold nothing but
/// an invocation of a function-like macro of the text whose body defines
/// a function (`#define DEF_GETTER(f) static PyObject *get_##f(void) { … }`), written
/// without a `;` after it, as such a macro is used at file scope:
/// tree-sitter reads the invocation as the start of the next declaration
/// and swallows the function that follows into an error (its sites lost).
/// [`parse`] gives the argument list as blanks and a `;`, so the
/// invocation is an item of its own. An invocation over several lines, or one inside a
/// `#define`, is left alone.
fn function_macro_uses(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let lines = || {
        let mut start = 0;
        std::iter::from_fn(move || {
            if start >= bytes.len() {
                return None;
            }
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            let line = start..end;
            start = end + 1;
            Some(line)
        })
    };
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let word_at = |text: &[u8]| text.iter().take_while(|&&b| is_word(b)).count();
    // The macros whose body defines a function, with continued lines.
    let mut names: HashSet<&[u8]> = HashSet::new();
    // Every function-like macro the text defines.
    let mut names_defined: HashSet<&[u8]> = HashSet::new();
    let mut definition: Option<Vec<u8>> = None;
    let mut name: &[u8] = b"";
    let mut continued: Vec<bool> = Vec::new();
    for line in lines() {
        let text = bytes[line].trim_ascii_end();
        let continues = text.ends_with(b"\\");
        continued.push(continues);
        if let Some(body) = definition.as_mut() {
            body.extend_from_slice(text.strip_suffix(b"\\").unwrap_or(text));
            body.push(b' ');
        } else if let Some(rest) = text
            .trim_ascii_start()
            .strip_prefix(b"#")
            .map(<[u8]>::trim_ascii_start)
            .and_then(|r| r.strip_prefix(b"define"))
            .filter(|r| r.first().is_some_and(u8::is_ascii_whitespace))
        {
            let rest = rest.trim_ascii_start();
            let end = word_at(rest);
            if end > 0 && rest.get(end) == Some(&b'(') {
                name = &rest[..end];
                let body = &rest[end..];
                let body = body.strip_suffix(b"\\").unwrap_or(body);
                definition = Some(body.to_vec());
            }
        }
        if !continues {
            if let Some(body) = definition.take() {
                names_defined.insert(name);
                if defines_function(&body) {
                    names.insert(name);
                }
            }
        }
    }
    let depths = line_depths(bytes);
    let all: Vec<std::ops::Range<usize>> = lines().collect();
    // The line's first non-blank byte, unless it is blank or a comment.
    let lead = |line: &std::ops::Range<usize>| {
        let text = bytes[line.clone()].trim_ascii();
        (!text.is_empty() && !text.starts_with(b"//") && !text.starts_with(b"/*")).then(|| text[0])
    };
    let mut out = Vec::new();
    for (i, line) in all.iter().enumerate() {
        if i > 0 && continued[i - 1] || depths.get(i) != Some(&0) {
            continue;
        }
        let text = &bytes[line.clone()];
        let first = text
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(0);
        let call = text[first..].trim_ascii_end();
        let end = word_at(call);
        // The argument list's `(`, blanks allowed before it (`NAME (x)`).
        let open = end
            + call[end..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        if end == 0 || call[0].is_ascii_digit() || call.get(open) != Some(&b'(') {
            continue;
        }
        // A macro of the text that defines a function; or one the text
        // does not define (a header's, left out of the unit) standing
        // alone between declarations: after a `;`, `}` or directive, and
        // before a name or directive, not before a `{` (a definition's
        // head: `DEFINE_EXEC(m) { … }`, `PyInit_m(void)` on its own line).
        let known = names.contains(&call[..end]);
        let alone = || {
            let before = all[..i].iter().rev().find_map(|l| {
                let text = bytes[l.clone()].trim_ascii();
                (!text.is_empty()).then_some(text)
            });
            let after = all[i + 1..].iter().find_map(lead);
            let ends_item = before.is_none_or(|b| {
                b.starts_with(b"#")
                    || b.ends_with(b"*/")
                    || matches!(b.last(), Some(b';' | b'}' | b')'))
            });
            let starts_item =
                after.is_none_or(|a| a == b'#' || a == b'_' || a.is_ascii_alphabetic());
            ends_item && starts_item
        };
        // A statement or expression macro of the text stays.
        if !known && (names_defined.contains(&call[..end]) || !alone()) {
            continue;
        }
        // The invocation's closing `)`, then nothing but a comment.
        let mut depth = 0usize;
        let close = call[open..].iter().position(|&b| {
            match b {
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ => {}
            }
            depth == 0
        });
        let Some(close) = close.map(|c| open + c) else {
            continue;
        };
        let rest = call[close + 1..].trim_ascii_start();
        if rest.is_empty() || rest.starts_with(b"//") || rest.starts_with(b"/*") {
            out.push(line.start + first + end..line.start + first + close + 1);
        }
    }
    out
}

/// The brace depth at the start of each line of `bytes` (lines split at
/// `\n`): `{` and `}` counted outside comments, string and character
/// literals and preprocessor lines (with their continuations), never
/// below 0.
fn line_depths(bytes: &[u8]) -> Vec<usize> {
    let mut depths = vec![0];
    let mut depth = 0usize;
    let mut i = 0;
    let mut line_start = true;
    let mut directive = false;
    while i < bytes.len() {
        let b = bytes[i];
        if line_start && !b.is_ascii_whitespace() {
            directive = b == b'#';
            line_start = false;
        }
        match b {
            b'\n' => {
                // A directive continues past a backslash at the line's end.
                let continued = directive && bytes[..i].trim_ascii_end().ends_with(b"\\");
                directive = continued;
                line_start = !continued;
                depths.push(depth);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = memchr::memmem::find(&bytes[i + 2..], b"*/")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
                for _ in memchr::memchr_iter(b'\n', &bytes[i..end]) {
                    depths.push(depth);
                }
                i = end;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |e| i + e);
                continue;
            }
            b'"' | b'\'' if !directive => {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b && bytes[j] != b'\n' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = if bytes.get(j) == Some(&b) {
                    j + 1
                } else {
                    j.min(bytes.len())
                };
                for _ in memchr::memchr_iter(b'\n', &bytes[i..end]) {
                    depths.push(depth);
                }
                i = end;
                continue;
            }
            b'{' if !directive => depth += 1,
            b'}' if !directive => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    depths
}

/// Whether a function-like macro's text after its name (parameters, then
/// body) defines a function: the body ends with `}`, and its first `{`
/// follows a `)` that does not close an `if`, `while`, `for` or `switch`
/// condition (a statement macro) and is not the parameter list itself.
fn defines_function(definition: &[u8]) -> bool {
    let Some(parameters_end) = definition.iter().position(|&b| b == b')') else {
        return false;
    };
    let body = definition[parameters_end + 1..].trim_ascii();
    let Some(brace) = body.iter().position(|&b| b == b'{') else {
        return false;
    };
    let head = body[..brace].trim_ascii_end();
    let statement = [&b"if"[..], b"while", b"for", b"switch", b"do"]
        .iter()
        .any(|k| {
            body.starts_with(k)
                && !body
                    .get(k.len())
                    .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
        });
    body.ends_with(b"}") && head.ends_with(b")") && !statement
}

/// `parser.parse(text)` on a stack of [`parse_stack_size`]: in place when
/// that fits in the [`STACK_IN_PLACE`] any thread can lend, else on a
/// thread of its own with that stack (only the pages used are ever
/// touched).
fn parse_on_stack(
    parser: &mut Parser,
    text: &[u8],
    old: Option<&Tree>,
) -> Result<Tree, ParseFailure> {
    parse_on_stack_with(
        parser,
        text.len(),
        &mut |i| text.get(i..).unwrap_or_default(),
        old,
    )
}

/// [`parse_on_stack`] of a text of `len` bytes that `input` gives in
/// chunks: `input(i)` is the text from offset `i` on, as much of it as is
/// at hand (empty at the end).
fn parse_on_stack_with<'t>(
    parser: &mut Parser,
    len: usize,
    input: &mut (dyn FnMut(usize) -> &'t [u8] + Send),
    old: Option<&Tree>,
) -> Result<Tree, ParseFailure> {
    if len > MAX_PARSE_BYTES {
        return Err(ParseFailure::TooLarge { bytes: len });
    }
    if cfg!(test) && old.is_none() {
        FRESH_BYTES.with(|n| n.set(n.get() + len));
    }
    let stack = parse_stack_size(len);
    if stack <= STACK_IN_PLACE {
        return budgeted_parse(parser, input, old, parse_budget(len));
    }
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("oncevar-parse".to_owned())
            .stack_size(stack)
            .spawn_scoped(scope, || {
                budgeted_parse(parser, input, old, parse_budget(len))
            })
            .map_err(|error| ParseFailure::Stack {
                bytes: stack,
                error,
            })?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

thread_local! {
    /// The bytes this thread gave tree-sitter to parse from scratch (no
    /// old tree), counted in test builds only: the work a test may bound.
    pub static FRESH_BYTES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The processor time one parse of `len` bytes may take: 20 s and 20 s
/// per MiB, twenty times what ordinary C takes on a slow machine
/// (about 1 MB/s: `scripts/bench-hostile.sh`). tree-sitter's error
/// recovery can take time growing faster than its input on a shape no
/// compiler accepts (fuzz-mutate.py's hang-1: a 1.3 MB line of `a ? a :
/// …` in a broken `if (` among deep nesting, over 300 s).
pub fn parse_budget(len: usize) -> Duration {
    Duration::from_secs(20) * (1 + u32::try_from(len >> 20).unwrap_or(u32::MAX / 40))
}

/// `parser.parse(text, old)` on this thread, given up once it has taken
/// `budget` of this thread's processor time ([`parse_budget`]):
/// [`ParseFailure::TooSlow`] then, and the parser is reset for its next
/// text. The clock is read at one of tree-sitter's progress checks in 16
/// (it checks every 100 operations).
fn budgeted_parse<'t>(
    parser: &mut Parser,
    input: &mut (dyn FnMut(usize) -> &'t [u8] + Send),
    old: Option<&Tree>,
    budget: Duration,
) -> Result<Tree, ParseFailure> {
    let start = thread_cpu_time();
    let mut checks = 0u32;
    let mut over = false;
    let mut progress = |_: &tree_sitter::ParseState| {
        checks = checks.wrapping_add(1);
        if checks % 16 == 0 {
            if let (Some(start), Some(now)) = (start, thread_cpu_time()) {
                over = now.saturating_sub(start) > budget;
            }
        }
        if over {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    };
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
    let tree = parser.parse_with_options(&mut |i, _| input(i), old, Some(options));
    match tree {
        Some(tree) => Ok(tree),
        None => {
            parser.reset();
            Err(if over {
                ParseFailure::TooSlow {
                    seconds: budget.as_secs(),
                }
            } else {
                ParseFailure::Cancelled
            })
        }
    }
}

/// This thread's processor time (`CLOCK_THREAD_CPUTIME_ID`, POSIX), or
/// `None` where it cannot be read (the parse then has no budget).
fn thread_cpu_time() -> Option<Duration> {
    #[cfg(unix)]
    {
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `now` is a valid timespec for clock_gettime to fill.
        let read = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
        (read == 0).then(|| {
            Duration::new(
                u64::try_from(now.tv_sec).unwrap_or(0),
                u32::try_from(now.tv_nsec).unwrap_or(0),
            )
        })
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Every byte of `bytes` but line breaks as a blank: offsets and lines
/// stay.
fn blank(bytes: &mut [u8]) {
    for b in bytes {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// The byte ranges of the conditional directives (`#if`, `#ifdef`,
/// `#ifndef`, `#elif`, `#elifdef`, `#elifndef`, `#else`, `#endif`) that
/// stand inside an initializer list: a brace opened right after `=`, or
/// inside such a brace.
fn directives_in_initializers(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    const CONDITIONALS: [&[u8]; 8] = [
        b"if",
        b"ifdef",
        b"ifndef",
        b"elif",
        b"elifdef",
        b"elifndef",
        b"else",
        b"endif",
    ];
    let mut lexer = Lexer::at(bytes, 0);
    let mut braces: Vec<bool> = Vec::new();
    let mut after_assign = false;
    let mut found = Vec::new();
    while let Some(token) = lexer.next_token(true) {
        match token {
            Token::Punct(b"{") => braces.push(after_assign || braces.last() == Some(&true)),
            Token::Punct(b"}") => {
                braces.pop();
            }
            Token::Directive(text) if braces.last() == Some(&true) => {
                if CONDITIONALS.contains(&directive_keyword(text)) {
                    let start = text.as_ptr() as usize - bytes.as_ptr() as usize;
                    found.push(start..start + text.len());
                }
                continue;
            }
            Token::Directive(_) => continue,
            _ => {}
        }
        after_assign = token == Token::Punct(b"=");
    }
    found
}

/// Whether a line that starts with `#` and names `define` holds `/*`
/// with more than blanks and `\` after its `*/` on that line or the
/// continued ones: the cheap test before [`comments_in_definitions`] lexes
/// the text (a `#define` inside a block comment passes it too, and the
/// lexer then skips it).
fn may_hold_comments_in_definitions(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, b"define").any(|at| {
        let start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let head: Vec<u8> = bytes[start..at]
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        if head != b"#" {
            return false;
        }
        // The logical line: to a line end that no `\` continues.
        let mut end = at;
        while let Some(i) = memchr::memchr(b'\n', &bytes[end..]) {
            end += i;
            if !bytes[..end].trim_ascii_end().ends_with(b"\\") {
                break;
            }
            end += 1;
        }
        let line = &bytes[at..end.min(bytes.len())];
        memchr::memmem::find_iter(line, b"/*").any(|open| {
            memchr::memmem::find(&line[open + 2..], b"*/").is_some_and(|close| {
                line[open + 2 + close + 2..]
                    .iter()
                    .any(|b| !b.is_ascii_whitespace() && *b != b'\\')
            })
        })
    })
}

/// The byte ranges of the `/* … */` comments inside a `#define` with more
/// of its body after them (a comment over continued lines: one range per
/// line, each line's `\` and line break left out, so that the body stays
/// one logical line): tree-sitter-c's grammar ends a macro's replacement
/// text at a comment (its `preproc_arg` token stops at
/// `/*`) and takes nothing after it, so `#define FAIL() do { \ /* the
/// caller has set the error */ \ return NULL; \ } while (0)` is a syntax
/// error that loses the macro. The preprocessor replaces each comment by
/// one space (C11 5.1.1.2, translation phase 3): [`parse`] reads them as
/// blanks from its first parse on, since such a comment never parses.
fn comments_in_definitions(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut lexer = Lexer::at(bytes, 0);
    let mut found = Vec::new();
    while let Some(token) = lexer.next_token(true) {
        let Token::Directive(text) = token else {
            continue;
        };
        if directive_keyword(text) != b"define" {
            continue;
        }
        let base = text.as_ptr() as usize - bytes.as_ptr() as usize;
        let mut i = 0;
        while i < text.len() {
            match text[i] {
                quote @ (b'"' | b'\'') => {
                    i += 1;
                    while i < text.len() && text[i] != quote && text[i] != b'\n' {
                        i += if text[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'/' if text.get(i + 1) == Some(&b'*') => {
                    let Some(end) = memchr::memmem::find(&text[i + 2..], b"*/") else {
                        break;
                    };
                    let end = i + 2 + end + 2;
                    // Only a comment with more of the body after it breaks
                    // the parse (`#define A 1 /* one */` does not).
                    let more = text[end..]
                        .iter()
                        .any(|b| !b.is_ascii_whitespace() && *b != b'\\');
                    if more {
                        let pieces = spliced_lines(&text[i..end]).into_iter().flatten();
                        found.extend(pieces.map(|r| base + i + r.start..base + i + r.end));
                    }
                    i = end;
                }
                _ => i += 1,
            }
        }
    }
    found
}

/// The lines of `text` that line splices join (`\` then LF or CRLF), as
/// byte ranges without the splices; `None` when a line break in it is not
/// spliced.
fn spliced_lines(text: &[u8]) -> Option<Vec<std::ops::Range<usize>>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for at in memchr::memchr_iter(b'\n', text) {
        let line = &text[..at];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        lines.push(start..line.strip_suffix(b"\\")?.len());
        start = at + 1;
    }
    lines.push(start..text.len());
    Some(lines)
}

/// Why [`parse`] has no tree.
#[derive(Debug, thiserror::Error)]
pub enum ParseFailure {
    /// tree-sitter gave up of itself (not expected: only the budget
    /// cancels a parse, and that is [`ParseFailure::TooSlow`]).
    #[error("tree-sitter could not parse the file")]
    Cancelled,
    /// The parse took more than its [`parse_budget`] of processor time: a
    /// shape whose error recovery takes time growing faster than the text.
    #[error(
        "not analysed: the parse took over {seconds} s of processor time (its budget: 20 s \
         and 20 s per MiB); the text has a shape no compiler accepts"
    )]
    TooSlow {
        /// The budget, in whole seconds.
        seconds: u64,
    },
    /// The text is longer than [`MAX_PARSE_BYTES`]: its parse could need
    /// a stack over [`MAX_PARSE_STACK`], which is not reserved.
    #[error(
        "not analysed: {} MiB of text, over the {} MiB whose parse fits the parser's \
         largest stack (a larger --max-file-size does not raise it)",
        bytes >> 20,
        MAX_PARSE_BYTES >> 20
    )]
    TooLarge {
        /// The text's length, in bytes.
        bytes: usize,
    },
    /// No thread with the stack the text needs could be started.
    #[error("cannot start a parser thread with a stack of {} MiB: {error}", bytes >> 20)]
    Stack {
        /// The stack size asked for, in bytes.
        bytes: usize,
        /// Why the thread did not start.
        error: std::io::Error,
    },
}

/// The stack, in bytes, that parsing `len` bytes may use: [`STACK_BASE`]
/// plus [`STACK_PER_BYTE`] for each byte.
///
/// tree-sitter's deepest recursion is `stack_node_add_link`, one call per
/// stack node of a run that two parse versions share (comments in an
/// ambiguous spot); each such node holds a token of 3 bytes or more (`//`
/// and its line break, `/**/`), and each call takes 144 bytes of stack
/// (x86-64, optimised: measured, 48 bytes of stack per input byte for
/// 120 KB of `//` lines, and 36 for `/**/`). [`STACK_PER_BYTE`] is twice
/// the worst measured.
pub const fn parse_stack_size(len: usize) -> usize {
    len.saturating_mul(STACK_PER_BYTE)
        .saturating_add(STACK_BASE)
}

/// The longest text parsed, in bytes: 64 MiB, the default
/// `--max-file-size` (a test of `check` keeps them equal), so that every
/// file scanned by default parses. A longer text (a file let in by a
/// larger `--max-file-size`, or a translation unit's text joined from
/// several files) is [`ParseFailure::TooLarge`]: its parse could need
/// more than [`MAX_PARSE_STACK`] of stack.
pub const MAX_PARSE_BYTES: usize = 64 << 20;

/// The largest stack a parse is given, in bytes: [`parse_stack_size`] of
/// [`MAX_PARSE_BYTES`], 6 GiB and 128 KiB. It is address space reserved,
/// not memory: only the pages a deep recursion touches are ever
/// allocated. Without this bound, the stack asked for grew with the text
/// without limit (9.6 GB for a 100 MB file, and a thread start that fails
/// or a reservation the system's overcommit policy may refuse).
pub const MAX_PARSE_STACK: usize = parse_stack_size(MAX_PARSE_BYTES);

/// `Err(TooLarge)` for a text longer than [`MAX_PARSE_BYTES`].
fn too_large(text: &[u8]) -> Result<(), ParseFailure> {
    match text.len() {
        len if len > MAX_PARSE_BYTES => Err(ParseFailure::TooLarge { bytes: len }),
        _ => Ok(()),
    }
}

/// See [`parse_stack_size`]: stack bytes per input byte.
pub const STACK_PER_BYTE: usize = 96;

/// See [`parse_stack_size`]: stack for a parse of an empty text, with a
/// margin (a parse without deep recursion measured 19 KiB).
pub const STACK_BASE: usize = 128 << 10;

/// The stack a parse may take from the calling thread, in bytes: half of
/// the 2 MiB a thread gets by default (rayon's workers, `std::thread`),
/// the rest left to the callers' frames. Texts up to about 9 KB parse in
/// place.
pub const STACK_IN_PLACE: usize = 1 << 20;

/// The keyword of a directive token's text (`#  ifdef X` gives `ifdef`).
fn directive_keyword(directive: &[u8]) -> &[u8] {
    let text = directive.get(1..).unwrap_or_default().trim_ascii_start();
    let end = text
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(text.len());
    &text[..end]
}

/// The C API's statement macros that open or close a block, with the
/// brace each stands for: (name, brace, whether it takes arguments).
const BRACE_MACROS: &[(&[u8], u8, bool)] = &[
    (b"Py_BEGIN_ALLOW_THREADS", b'{', false),
    (b"Py_END_ALLOW_THREADS", b'}', false),
    (b"Py_TRASHCAN_BEGIN", b'{', true),
    (b"Py_TRASHCAN_END", b'}', false),
    (b"Py_TRASHCAN_SAFE_BEGIN", b'{', true),
    (b"Py_TRASHCAN_SAFE_END", b'}', true),
];

/// The C API's object-like macros that expand to a whole statement, its
/// `;` or `}` included, and so are written without one: the macros of
/// CPython's public headers (`Include/`, not `Include/internal/`, of 3.9,
/// 3.11 and 3.13) whose body ends with `;` or a closing brace that closes
/// all it opens, less the ones that declare (`PyObject_HEAD`, read by
/// [`member_macros`]), the initialisers (`Py_tss_NEEDS_INIT`), the ones
/// that take arguments and the halves of a block ([`BRACE_MACROS`]). Read
/// from the headers `scripts/fetch-corpus.sh --refdata` fetches: a body
/// ending so after comments and line continuations are taken out.
const STATEMENT_MACROS: &[&[u8]] = &[
    b"PyCursesInitialised",
    b"PyCursesInitialisedColor",
    b"PyCursesSetupTermCalled",
    b"Py_BLOCK_THREADS",
    b"Py_UNBLOCK_THREADS",
];

/// The keywords that begin a statement and never a declaration.
const STATEMENT_KEYWORDS: &[&[u8]] = &[
    b"if",
    b"return",
    b"do",
    b"while",
    b"for",
    b"switch",
    b"goto",
    b"break",
    b"continue",
];

/// A `#define` directive's macro name and the text right after it (a
/// function-like macro's `(` first), from the directive's text starting
/// at its `#`; `None` for any other directive or a definition naming
/// nothing. The one reader of a definition's head for [`statement_alias`]
/// and [`brace_alias`].
fn define_name(directive: &[u8]) -> Option<(&[u8], &[u8])> {
    let text = directive[1..].trim_ascii_start().strip_prefix(b"define")?;
    if !text.first().is_some_and(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let text = text.trim_ascii_start();
    let end = text
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .unwrap_or(text.len());
    let (name, body) = text.split_at(end);
    (!name.is_empty()).then_some((name, body))
}

/// How many more `{` than `}` a macro body's tokens hold (negative when
/// it closes more than it opens): the one count of [`statement_alias`]
/// and [`brace_alias`].
fn brace_balance(tokens: &[Token]) -> i64 {
    tokens
        .iter()
        .map(|t| match t {
            Token::Punct(b"{") => 1,
            Token::Punct(b"}") => -1,
            _ => 0,
        })
        .sum()
}

/// `#define NAME BODY` (object-like) where the body is a statement with its
/// `;` or its closing brace (`_save = PyEval_SaveThread();`, `{ if (!ok)
/// return NULL; }`, `if (!ok) return NULL;`), or one of [`STATEMENT_MACROS`] or of `earlier`:
/// `NAME`, a macro written without `;` ([`brace_macros`]). A body that
/// ends with a name and `;` (`PyObject ob_base;`) declares, and is not
/// one.
fn statement_alias<'b>(directive: &'b [u8], earlier: &[&[u8]]) -> Option<&'b [u8]> {
    let (name, body) = define_name(directive)?;
    if body.first() == Some(&b'(') {
        return None;
    }
    let mut lexer = Lexer::at(body, 0);
    let tokens: Vec<Token> = std::iter::from_fn(|| lexer.next_token(false)).collect();
    let balance = brace_balance(&tokens);
    let statement = match tokens.as_slice() {
        [Token::Ident(alias)] => STATEMENT_MACROS.contains(alias) || earlier.contains(alias),
        // `if (!ok) return NULL;`, `return x;`: a statement by its keyword.
        [Token::Ident(first), .., Token::Punct(b";")] if STATEMENT_KEYWORDS.contains(first) => {
            balance == 0
        }
        // `call(…);`, `x = f();`: an expression statement.
        [.., Token::Punct(b")"), Token::Punct(b";")] => balance == 0,
        // `{ … }`, `if (c) { … }`.
        [.., Token::Punct(b"}")] => balance == 0 && !names_a_lock(name) && !names_a_lock(body),
        _ => false,
    };
    statement.then_some(name)
}

/// Where the text invokes one of [`BRACE_MACROS`], or an object-like
/// macro of its own defined as one of them (`#define NOGIL_BEGIN
/// Py_BEGIN_ALLOW_THREADS`), outside directives, comments and literals:
/// each invocation's byte range (its arguments too) and the brace it
/// stands for. Only pairs are given, an opening and the closing that
/// matches it in the same branch of every `#if` around them: what the
/// compiler sees as a block in every build, so reading them as braces
/// never unbalances the text (an opening in one `#ifdef` closed in
/// another is left as it is).
///
/// Also where the text invokes, as a statement of its own and without the
/// `;` it needs none of, one of [`STATEMENT_MACROS`] or an object-like
/// macro of its own that expands to a statement ([`statement_alias`]):
/// `Py_UNBLOCK_THREADS` then `level_t lvl = 3;` reads as a declaration of
/// `lvl` with the type `Py_UNBLOCK_THREADS level_t` to tree-sitter, an
/// error that can swallow what follows. Each is given with `;`, the empty
/// statement it stands for.
fn brace_macros(bytes: &[u8]) -> Vec<(std::ops::Range<usize>, u8)> {
    let statements = STATEMENT_MACROS
        .iter()
        .any(|name| memchr::memmem::find(bytes, name).is_some())
        || defines_a_statement(bytes);
    if !BRACE_MACROS
        .iter()
        .any(|(name, _, _)| memchr::memmem::find(bytes, name).is_some())
        && !defines_a_brace(bytes)
        && !statements
    {
        return Vec::new();
    }
    let mut own_statements: Vec<&[u8]> = Vec::new();
    // The token before the current one, directives skipped: a statement
    // macro stands as a statement after `;`, a brace, `)` (of `if (c)`),
    // `:` or `else`, or first.
    let mut previous: Option<Token> = None;
    let offset = |token: &[u8]| token.as_ptr() as usize - bytes.as_ptr() as usize;
    let mut own: Vec<(&[u8], u8, bool)> = Vec::new();
    // The `#if` branches around the current token: (chain, branch).
    let mut conditions: Branches = Vec::new();
    let mut chains = 0;
    // Openings not closed yet, with the branches they stand in.
    let mut open: Vec<(std::ops::Range<usize>, Branches)> = Vec::new();
    let mut found = Vec::new();
    let mut lexer = Lexer::at(bytes, 0);
    while let Some(token) = lexer.next_token(false) {
        if let Token::Directive(text) = token {
            if let Some(alias) = brace_alias(text, &own) {
                own.push(alias);
            }
            if statements {
                if let Some(alias) = statement_alias(text, &own_statements) {
                    own_statements.push(alias);
                }
            }
            match directive_keyword(text) {
                b"if" | b"ifdef" | b"ifndef" => {
                    chains += 1;
                    conditions.push((chains, 0));
                }
                b"elif" | b"elifdef" | b"elifndef" | b"else" => {
                    if let Some(last) = conditions.last_mut() {
                        last.1 += 1;
                    }
                }
                b"endif" => {
                    conditions.pop();
                }
                _ => {}
            }
            continue;
        }
        let before = previous.replace(token);
        let Token::Ident(name) = token else {
            continue;
        };
        if statements && (STATEMENT_MACROS.contains(&name) || own_statements.contains(&name)) {
            let starts = match before {
                None => true,
                Some(Token::Punct(p)) => matches!(p, b";" | b"{" | b"}" | b")" | b":"),
                Some(Token::Ident(word)) => word == b"else",
                _ => false,
            };
            let start = offset(name);
            let end = start + name.len();
            let mut after = Lexer::at(bytes, end);
            let next = std::iter::from_fn(|| after.next_token(false))
                .find(|t| !matches!(t, Token::Directive(_)));
            let ends = match next {
                Some(Token::Punct(p)) => matches!(
                    p,
                    b"{" | b"}" | b"(" | b"*" | b"&" | b"!" | b"-" | b"+" | b"~"
                ),
                Some(Token::Ident(_) | Token::Number(_)) => true,
                Some(Token::Directive(_)) | None => false,
            };
            if starts && ends {
                found.push((start..end, b';'));
                // What comes next follows that `;` (`REQUIRE_ARGS
                // Py_UNBLOCK_THREADS`).
                previous = Some(Token::Punct(b";"));
            }
            continue;
        }
        let known = BRACE_MACROS
            .iter()
            .find(|m| m.0 == name)
            .map(|m| (m.1, m.2))
            .or_else(|| own.iter().rev().find(|m| m.0 == name).map(|m| (m.1, m.2)));
        let Some((brace, arguments)) = known else {
            continue;
        };
        let start = offset(name);
        let mut end = start + name.len();
        if arguments {
            // The parenthesised arguments, balanced.
            let mut depth = 0usize;
            let mut inner = Lexer::at(&bytes[end..], 0);
            while let Some(token) = inner.next_token(false) {
                match token {
                    Token::Punct(b"(") => depth += 1,
                    Token::Punct(b")") => depth = depth.saturating_sub(1),
                    Token::Directive(_) => continue,
                    _ if depth == 0 => break,
                    _ => {}
                }
                if depth == 0 {
                    let Token::Punct(close) = token else { break };
                    end = offset(close) + 1;
                    break;
                }
            }
        }
        if brace == b'{' {
            open.push((start..end, conditions.clone()));
        } else if open.last().is_some_and(|(_, at)| *at == conditions) {
            if let Some((opening, _)) = open.pop() {
                found.push((opening, b'{'));
                // A closing macro expands to a statement, then the brace
                // (`PyEval_RestoreThread(_save); }`): after a label (`done:
                // Py_END_ALLOW_THREADS`, `default:`) a lone `}` would leave
                // the label without its statement, an error that swallows
                // the file-scope declarations after the function. Read as
                // `;}` there.
                if matches!(before, Some(Token::Punct(b":"))) {
                    found.push((start..start + 1, b';'));
                    found.push((start + 1..end, b'}'));
                } else {
                    found.push((start..end, b'}'));
                }
            }
        }
    }
    found.sort_by_key(|(range, _)| range.start);
    found
}

/// The `#if` branches around a token, outermost first: (which chain,
/// counted in the text; which branch of it, from 0).
type Branches = Vec<(usize, usize)>;

/// `#define NAME BODY` or `#define NAME(…) BODY` where the body is one of
/// [`BRACE_MACROS`] taking no arguments, an alias in `earlier` taking
/// none (`#define LEAVE MY_END` after `#define MY_END
/// Py_END_ALLOW_THREADS`), or text that opens one block more than it
/// closes, or closes one more: the name, its brace, and whether it takes
/// arguments.
fn brace_alias<'b>(
    directive: &'b [u8],
    earlier: &[(&[u8], u8, bool)],
) -> Option<(&'b [u8], u8, bool)> {
    let (name, mut body) = define_name(directive)?;
    let arguments = match body.strip_prefix(b"(") {
        Some(rest) => {
            body = &rest[memchr::memchr(b')', rest)? + 1..];
            true
        }
        None => false,
    };
    let body = body.trim_ascii();
    BRACE_MACROS
        .iter()
        .find(|m| m.0 == body && !m.2)
        .map(|m| (name, m.1, arguments))
        .or_else(|| {
            earlier
                .iter()
                .rev()
                .find(|m| m.0 == body && !m.2)
                .map(|m| (name, m.1, arguments))
        })
        .or_else(|| {
            // A body of its own that opens one block more than it closes
            // (`{ PyThreadState *_ts = PyEval_SaveThread();`) or closes one
            // more (`PyEval_RestoreThread(_ts); }`), whatever its name
            // (psycopg2's `Py_BEGIN_ALLOW_THREADS_IF(c)`). Not a lock: a
            // compat definition of CPython's critical section (`#define
            // Py_BEGIN_CRITICAL_SECTION(op) {`) or a body that takes a
            // lock, which the analysis of synchronisation reads by name
            // and a brace in their place would hide.
            let locking = names_a_lock(name) || names_a_lock(body);
            if locking {
                return None;
            }
            let mut lexer = Lexer::at(body, 0);
            let tokens: Vec<Token> = std::iter::from_fn(|| lexer.next_token(false)).collect();
            match brace_balance(&tokens) {
                1 => Some((name, b'{', arguments)),
                -1 => Some((name, b'}', arguments)),
                _ => None,
            }
        })
}

/// Whether an identifier of `text` names a lock: one of its words (split
/// at `_`, before an upper-case letter that follows a lower-case one, and
/// before the last upper-case letter of a run that a lower-case one
/// follows: `SRWLock` is `SRW`, `Lock`) is
/// `lock`, `unlock`, `mutex` or `critical`, in any case
/// (`pthread_mutex_lock`, `PyMutex_Lock`, `Py_BEGIN_CRITICAL_SECTION`,
/// `AcquireSRWLockExclusive`), and not a word that merely contains one
/// (`sock_fd`, `clock`, `Py_BLOCK_THREADS`).
fn names_a_lock(text: &[u8]) -> bool {
    const LOCK_WORDS: [&[u8]; 4] = [b"lock", b"unlock", b"mutex", b"critical"];
    let mut lexer = Lexer::at(text, 0);
    while let Some(token) = lexer.next_token(false) {
        let Token::Ident(identifier) = token else {
            continue;
        };
        let mut start = 0;
        for end in 1..=identifier.len() {
            let upper = |i: usize| identifier.get(i).is_some_and(u8::is_ascii_uppercase);
            let lower = |i: usize| identifier.get(i).is_some_and(u8::is_ascii_lowercase);
            let boundary = end == identifier.len()
                || identifier[end] == b'_'
                || (lower(end - 1) && upper(end))
                || (upper(end - 1) && upper(end) && lower(end + 1));
            if boundary {
                let word = &identifier[start..end];
                if LOCK_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w)) {
                    return true;
                }
                start = if end < identifier.len() && identifier[end] == b'_' {
                    end + 1
                } else {
                    end
                };
            }
        }
    }
    false
}

/// Whether a `define` in `bytes` is followed on its logical line (line
/// continuations joined) by a brace: the cheap test before the lexer looks
/// for a macro of the text's own that hides one ([`brace_alias`]).
fn defines_a_brace(bytes: &[u8]) -> bool {
    define_lines(bytes).any(|line| memchr::memchr2(b'{', b'}', line).is_some())
}

/// From each `define` in `bytes` to the end of its logical line (line
/// continuations joined).
fn define_lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    memchr::memmem::find_iter(bytes, b"define").map(move |at| {
        let mut end = at;
        loop {
            let Some(newline) = memchr::memchr(b'\n', &bytes[end..]) else {
                end = bytes.len();
                break;
            };
            end += newline;
            if !bytes[..end].trim_ascii_end().ends_with(b"\\") {
                break;
            }
            end += 1;
        }
        &bytes[at..end]
    })
}

/// Whether a `define` in `bytes` ends its logical line with `;` or `}`:
/// the cheap test before the lexer looks for a macro of the text's own
/// that expands to a statement ([`statement_alias`]).
fn defines_a_statement(bytes: &[u8]) -> bool {
    define_lines(bytes).any(|line| matches!(line.trim_ascii_end().last(), Some(b';' | b'}')))
}

/// The aliases `bytes` defines of a block-opening or -closing macro of the
/// C API (`#define ENTER Py_BEGIN_ALLOW_THREADS`), or of an alias in
/// `earlier` (defined by another file of the unit) or before it in the
/// text: each name with the brace it stands for. A header that defines
/// one is part of every unit that includes it, since the parse of the
/// unit reads the alias's uses as braces only when it sees the
/// definition.
pub fn brace_aliases(bytes: &[u8], earlier: &[(Vec<u8>, u8)]) -> Vec<(Vec<u8>, u8)> {
    let mentions = |name: &[u8]| memchr::memmem::find(bytes, name).is_some();
    if !BRACE_MACROS.iter().any(|(name, _, _)| mentions(name))
        && !STATEMENT_MACROS.iter().any(|name| mentions(name))
        && !earlier.iter().any(|(name, _)| mentions(name))
        && !defines_a_brace(bytes)
    {
        return Vec::new();
    }
    let mut known: Vec<(&[u8], u8, bool)> = earlier
        .iter()
        .map(|(name, brace)| (name.as_slice(), *brace, false))
        .collect();
    // The statement macros among `known`, kept beside it.
    let mut statements: Vec<&[u8]> = known
        .iter()
        .filter(|(_, brace, _)| *brace == b';')
        .map(|(name, _, _)| *name)
        .collect();
    let mut found = Vec::new();
    let mut lexer = Lexer::at(bytes, 0);
    while let Some(token) = lexer.next_token(false) {
        if let Token::Directive(text) = token {
            if let Some(alias) = brace_alias(text, &known) {
                found.push((alias.0.to_vec(), alias.1));
                if alias.1 == b';' {
                    statements.push(alias.0);
                }
                known.push(alias);
                continue;
            }
            // `#define LEAVE_GIL Py_UNBLOCK_THREADS`: an alias of a
            // statement macro, given with `;` (only aliases: a header's own
            // statement macros are many, and keeping each header that
            // defines one in every unit would change the units).
            if let Some(name) = statement_alias(text, &statements).filter(|_| is_alias(text)) {
                found.push((name.to_vec(), b';'));
                known.push((name, b';', false));
                statements.push(name);
            }
        }
    }
    found
}

/// Whether a `#define`'s body is one identifier (`#define A B`).
fn is_alias(directive: &[u8]) -> bool {
    let words: Vec<&[u8]> = directive[1..]
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let identifier = |w: &[u8]| w.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_');
    matches!(words.as_slice(), [b"define", name, body] if identifier(name) && identifier(body))
}

/// `bytes` with each CR that no LF follows replaced by LF and each byte
/// order mark by spaces, or `None` if it has neither.
fn compiler_view(bytes: &[u8]) -> Option<Vec<u8>> {
    let lone = |i: &usize| bytes.get(i + 1) != Some(&b'\n');
    let first_cr = memchr::memchr_iter(b'\r', bytes).find(lone);
    let first_bom = memchr::memmem::find(bytes, crate::scan::source::BOM);
    let heads = member_macros(bytes);
    let thread_locals: Vec<usize> =
        crate::scan::unit::occurrences(bytes, THREAD_LOCAL_C11).collect();
    if first_cr.is_none() && first_bom.is_none() && heads.is_empty() && thread_locals.is_empty() {
        return None;
    }
    let mut view = bytes.to_vec();
    for at in thread_locals {
        view[at..at + THREAD_LOCAL_C11.len()].copy_from_slice(b"thread_local ");
    }
    for range in heads {
        view[range.start..range.start + 4].copy_from_slice(b"int ");
        view[range.start + 4..range.end - 1].fill(b'_');
        view[range.end - 1] = b';';
    }
    if let Some(first) = first_cr {
        for i in memchr::memchr_iter(b'\r', &bytes[first..]).map(|i| i + first) {
            if lone(&i) {
                view[i] = b'\n';
            }
        }
    }
    if let Some(first) = first_bom {
        let bom = crate::scan::source::BOM;
        for i in memchr::memmem::find_iter(&bytes[first..], bom).map(|i| i + first) {
            view[i..i + bom.len()].fill(b' ');
        }
    }
    Some(view)
}

/// C11's keyword for thread storage duration, given as C23's
/// `thread_local` in the compiler's view (see [`parse`]).
const THREAD_LOCAL_C11: &[u8] = b"_Thread_local";

/// The keyword or modifier by which a declaration gives its variables
/// thread storage duration, as written: C11's `_Thread_local`, C23's
/// `thread_local`, GCC's `__thread` (storage class specifiers, in any
/// order among the declaration's specifiers), MSVC's `__declspec(thread)`;
/// `None` for none. Input: a `declaration` node and the text it was
/// parsed from. A macro that expands to one (`_Py_thread_local`, a
/// project's `TLS`) is not seen here: tree-sitter reads it as a type name,
/// a declaration in error that gets no fix.
pub fn thread_storage<'b>(declaration: Node, bytes: &'b [u8]) -> Option<&'b str> {
    let mut cursor = declaration.walk();
    let found = declaration.children(&mut cursor).find_map(|c| {
        let text = c.utf8_text(bytes).ok()?;
        match c.kind() {
            // `_Thread_local` spans `thread_local`'s 12 bytes in the
            // compiler's view: read the keyword from where it starts.
            "storage_class_specifier" if bytes[c.start_byte()..].starts_with(THREAD_LOCAL_C11) => {
                Some("_Thread_local")
            }
            "storage_class_specifier" if matches!(text, "__thread" | "thread_local") => Some(text),
            "ms_declspec_modifier"
                if text
                    .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_')
                    .any(|w| w == "thread") =>
            {
                Some(text)
            }
            _ => None,
        }
    });
    found
}

/// The C API's macros that stand for the first members of an object
/// struct and end without a semicolon of their own (`PyObject_HEAD`
/// expands to `PyObject ob_base;`): tree-sitter reads `PyObject_HEAD
/// PyObject *weakreflist;` as one declaration of two types, a syntax error
/// in almost every extension's object struct.
const MEMBER_MACROS: &[&[u8]] = &[b"PyObject_HEAD", b"PyObject_VAR_HEAD", b"PyException_HEAD"];

/// Where the text uses one of [`MEMBER_MACROS`] as a member: each use's
/// byte range, for a word not followed by `;` or `(` (after blanks). The
/// compiler's view reads each as a member declaration of the same length
/// (`int ________;`), so offsets stay. A use inside a comment, a string or
/// a directive is read the same way, which changes nothing there.
fn member_macros(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = Vec::new();
    for name in MEMBER_MACROS {
        for at in memchr::memmem::find_iter(bytes, name) {
            let end = at + name.len();
            let whole =
                (at == 0 || !is_word(bytes[at - 1])) && bytes.get(end).is_none_or(|&b| !is_word(b));
            let next = bytes[end..].iter().find(|b| !b.is_ascii_whitespace());
            if whole && !matches!(next, Some(b';' | b'(')) {
                found.push(at..end);
            }
        }
    }
    found
}

/// Every node of the subtree at `root`, `root` first, in document order
/// (preorder), walked with one tree cursor: no recursion, so a tree of
/// any depth costs no stack, and no `Node::parent` (a descent from the
/// root each time).
pub fn descendants(root: Node) -> impl Iterator<Item = Node> {
    let mut cursor = root.walk();
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let node = cursor.node();
        if !cursor.goto_first_child() {
            loop {
                if cursor.node() == root {
                    done = true;
                    break;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    done = true;
                    break;
                }
            }
        }
        Some(node)
    })
}

/// The deepest syntax tree the analysis takes, in levels below the root:
/// tree-sitter's query cursor keeps the depth at which a match started in
/// 16 bits, so a node deeper than this is matched wrongly or not at all
/// (100,000 nested `if`s hid their site, and unfinished matches piled up).
pub const MAX_DEPTH: usize = u16::MAX as usize;

/// Whether some node of `tree` lies more than `limit` levels below its
/// root. One walk with a cursor, which stops at the first such node and
/// skips every subtree too small to reach that deep: a node `depth` levels
/// down whose subtree holds `n` nodes (tree-sitter keeps the count, so
/// asking costs nothing) has none below `depth + n - 1`. Most trees are
/// settled at the root; a wide one (a line of 200,000 statements inside an
/// unclosed call) is walked child by child, not node by node.
pub fn deeper_than(tree: &Tree, limit: usize) -> bool {
    let mut cursor = tree.walk();
    let mut depth = 0;
    loop {
        let reach = depth + cursor.node().descendant_count().saturating_sub(1);
        if reach > limit && cursor.goto_first_child() {
            depth += 1;
            if depth > limit {
                return true;
            }
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return false;
            }
            depth -= 1;
        }
    }
}

/// The number of ERROR and MISSING nodes: how badly a file parses. The
/// rewriter refuses a result that scores worse than its input.
///
/// A MISSING token can be one that the tree does not show (`#include` alone
/// on a line lacks its hidden line-end token): a node that holds an error
/// none of its visible children holds counts once for it.
pub fn error_count(tree: &Tree) -> usize {
    let mut count = 0;
    for_each_error(tree, |_| count += 1);
    count
}

/// How many ERROR and MISSING nodes a text has: what a fix may not make
/// worse (`fix::apply::fixed_text`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ErrorCount {
    /// All of them.
    pub count: usize,
    /// Those outside the runtime's declaration macros (see
    /// [`ParseErrors::reported`]).
    pub reported: usize,
}

impl ErrorCount {
    /// The errors of `tree`, parsed from `bytes`.
    pub fn of(tree: &Tree, bytes: &[u8]) -> ErrorCount {
        errors(tree, bytes).counts()
    }
}

/// How a file parses: its ERROR and MISSING nodes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseErrors {
    /// How many there are: what a fix may not make worse.
    pub count: usize,
    /// Those outside the runtime's declaration macros: tree-sitter cannot
    /// parse `Py_ONCEVAR_DECLARE(PyObject *, name);` (a type as a macro
    /// argument), so a file `--fix` rewrote would otherwise be reported as
    /// broken. These are the errors a user is told about.
    pub reported: usize,
    /// The first reported error: where it is, and what it is (`syntax
    /// error` or `missing `;``). `None` when there is none.
    pub first: Option<(Span, String)>,
}

impl ParseErrors {
    /// The two counts.
    pub fn counts(&self) -> ErrorCount {
        ErrorCount {
            count: self.count,
            reported: self.reported,
        }
    }
}

/// The ERROR and MISSING nodes of `tree` (parsed from `bytes`), counted,
/// with the first one outside a runtime declaration macro described.
pub fn errors(tree: &Tree, bytes: &[u8]) -> ParseErrors {
    errors_by_file(tree, bytes, |span| Some((0, span)))
        .pop()
        .map(|(_, e)| e)
        .unwrap_or_default()
}

/// [`errors`] for a translation unit's text, by file: `place` maps a span
/// of the text to (file, the span in that file), or `None` for text that
/// is no file's. Sorted by file.
pub fn errors_by_file(
    tree: &Tree,
    bytes: &[u8],
    place: impl Fn(Span) -> Option<(usize, Span)>,
) -> Vec<(usize, ParseErrors)> {
    let mut by_file: std::collections::BTreeMap<usize, ParseErrors> = Default::default();
    let declarations = RuntimeDeclarations::of(bytes);
    for_each_error(tree, |node| {
        let Some((file, span)) = place(Span::of(node)) else {
            return;
        };
        let found = by_file.entry(file).or_default();
        found.count += 1;
        if declarations.hold(Span::of(node)) {
            return;
        }
        found.reported += 1;
        if found.first.is_none() {
            let what = if node.is_missing() {
                format!("missing `{}`", node.kind())
            } else if node.is_error() {
                "syntax error".to_owned()
            } else {
                format!("incomplete `{}`", node.kind())
            };
            found.first = Some((span, what));
        }
    });
    by_file.into_iter().collect()
}

/// Calls `f` on every ERROR and MISSING node, in document order. Only
/// subtrees that contain an error are entered.
fn for_each_error<'t>(tree: &'t Tree, mut f: impl FnMut(Node<'t>)) {
    if !tree.root_node().has_error() {
        return;
    }
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let hidden_error =
            || node.has_error() && !node.children(&mut node.walk()).any(|c| c.has_error());
        if node.is_error() || node.is_missing() || hidden_error() {
            f(node);
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
}

/// Where a text's statements `Py_ONCEVAR_DECLARE...(...);` may stand: the
/// offsets of each whole-word `Py_ONCEVAR_DECLARE`, of each line break (LF
/// or CR) and of each `;`, found in one pass each (the breaks and `;` only
/// when the text names the macro), so that each parse error costs three
/// binary searches: reading its line and the rest of the text per error
/// was quadratic (a fuzzed file of 1.5 MB with 77,000 `else if`s on one
/// line in a broken initialiser took 40 s).
struct RuntimeDeclarations {
    /// The text's length in bytes.
    len: usize,
    /// Offsets of the macro's name where it is a whole word, ascending.
    names: Vec<usize>,
    /// Offsets of each LF and CR, ascending.
    breaks: Vec<usize>,
    /// Offsets of each `;`, ascending.
    semicolons: Vec<usize>,
}

impl RuntimeDeclarations {
    const NAME: &'static [u8] = b"Py_ONCEVAR_DECLARE";

    /// Finds the offsets in `bytes` (the whole text of a translation unit).
    fn of(bytes: &[u8]) -> Self {
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let names: Vec<usize> = memchr::memmem::find_iter(bytes, Self::NAME)
            .filter(|&at| at == 0 || !is_word(bytes[at - 1]))
            .collect();
        let (breaks, semicolons) = if names.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            (
                memchr::memchr2_iter(b'\n', b'\r', bytes).collect(),
                memchr::memchr_iter(b';', bytes).collect(),
            )
        };
        RuntimeDeclarations {
            len: bytes.len(),
            names,
            breaks,
            semicolons,
        }
    }

    /// Whether `span` (byte offsets) lies within a statement
    /// `Py_ONCEVAR_DECLARE...(...);` that starts on the span's line (after
    /// LF or CR), as a whole word: the rewriter's own output, which keeps
    /// whatever stood before the declaration it replaced on that line
    /// (`}static PyObject *v;` becomes `}Py_ONCEVAR_DECLARE(PyObject *, v);`).
    /// Only the line's last name at or before the span can decide it: the
    /// first `;` after a later name is never earlier.
    fn hold(&self, span: Span) -> bool {
        let start = span.start.min(self.len);
        let line = self.breaks.partition_point(|&b| b < start);
        let line_start = line.checked_sub(1).map_or(0, |i| self.breaks[i] + 1);
        let upto = self.names.partition_point(|&at| at <= start);
        let Some(&at) = upto.checked_sub(1).map(|i| &self.names[i]) else {
            return false;
        };
        if at < line_start {
            return false;
        }
        let end = self.semicolons.partition_point(|&s| s < at);
        self.semicolons
            .get(end)
            .is_some_and(|&semicolon| span.end <= semicolon + 1)
    }
}

/// A keyword token with its parent and grandparent (`Node::parent` walks
/// down from the root, which is slow in a wide tree).
#[derive(Clone, Copy, Debug)]
pub struct Keyword<'t> {
    /// The keyword's own token node (its kind is the keyword).
    pub token: Node<'t>,
    /// The node holding the token (`None` for the root).
    pub parent: Option<Node<'t>>,
    /// The node holding that (`None` when the parent is the root or absent).
    pub grandparent: Option<Node<'t>>,
}

/// The keyword tokens of the given kinds (`"static"`, `"#define"`…), in
/// document order. They are found through the text: a walk that enters only
/// the nodes holding an occurrence of the word, so that a query rooted near
/// such a keyword need not visit the rest of a large tree.
pub fn keyword_tokens<'t>(root: Node<'t>, source: &[u8], kinds: &[&str]) -> Vec<Keyword<'t>> {
    let mut positions: Vec<usize> = kinds
        .iter()
        .flat_map(|kind| memchr::memmem::find_iter(source, kind.trim_start_matches('#')))
        .collect();
    positions.sort_unstable();
    let mut found = Vec::new();
    let mut next = 0;
    let mut cursor = root.walk();
    let mut ancestors: Vec<Node> = Vec::new();
    'walk: loop {
        let node = cursor.node();
        while next < positions.len() && positions[next] < node.start_byte() {
            next += 1;
        }
        if next == positions.len() {
            break;
        }
        if positions[next] < node.end_byte() {
            if cursor.goto_first_child() {
                ancestors.push(node);
                continue;
            }
            if kinds.contains(&node.kind()) {
                found.push(Keyword {
                    token: node,
                    parent: ancestors.last().copied(),
                    grandparent: ancestors.len().checked_sub(2).map(|i| ancestors[i]),
                });
            }
            while next < positions.len() && positions[next] < node.end_byte() {
                next += 1;
            }
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
            ancestors.pop();
        }
    }
    found
}

/// Trees nesting deeper than this many levels get a [`ParentIndex`] while
/// they are analysed: below it one descent from the root ([`ancestors`])
/// costs at most this many steps, a constant; above it the descents of
/// every reference of a static deep in a chain (`c != NULL && c != NULL
/// && …` 30,000 times) cost the square of the depth.
pub const INDEXED_DEPTH: usize = 128;

/// The parent of every node of one tree, and the answers of
/// [`nearest_ancestor`] found so far, for the trees deeper than
/// [`INDEXED_DEPTH`] that this thread analyses (see [`ParentIndex`]).
struct TreeIndex {
    /// The indexed tree (`Node::into_raw().tree` of its nodes).
    tree: *const tree_sitter::ffi::TSTree,
    /// Each node's parent, by node id (the root has none).
    parents: HashMap<usize, tree_sitter::ffi::TSNode>,
    /// [`nearest_ancestor`]'s answers, by kind of ancestor and node id:
    /// each climb records its answer for every node it passed, so a
    /// second climb through them stops at the first.
    nearest: RefCell<HashMap<(Nearest, usize), Option<tree_sitter::ffi::TSNode>>>,
}

thread_local! {
    /// The parent indexes of the trees this thread is analysing (more
    /// than one while a unit's trees are analysed together).
    static INDEXES: RefCell<Vec<TreeIndex>> = const { RefCell::new(Vec::new()) };
}

/// While alive, [`ancestors`], [`climb`] and [`nearest_ancestor`] find
/// the parents of the nodes of its tree, on this thread, in a map instead
/// of by descents from the root: a climb then costs the steps it takes,
/// not the depth of the node it starts from. Made by
/// [`index_parents`]; dropping it frees the map.
pub struct ParentIndex<'t> {
    tree: *const tree_sitter::ffi::TSTree,
    _tree: std::marker::PhantomData<&'t Tree>,
}

impl Drop for ParentIndex<'_> {
    fn drop(&mut self) {
        INDEXES.with_borrow_mut(|indexes| {
            if let Some(at) = indexes.iter().rposition(|i| i.tree == self.tree) {
                indexes.remove(at);
            }
        });
    }
}

/// A [`ParentIndex`] of `tree` when it nests deeper than
/// [`INDEXED_DEPTH`] levels (one walk over its nodes, and a map entry per
/// node), else `None` (descents from the root cost at most that depth).
/// The index serves this thread only; results are the same with or
/// without it.
pub fn index_parents(tree: &Tree) -> Option<ParentIndex<'_>> {
    if !deeper_than(tree, INDEXED_DEPTH) {
        return None;
    }
    let raw_tree = tree.root_node().into_raw().tree;
    let mut parents = HashMap::new();
    let mut cursor = tree.walk();
    let mut pending = vec![tree.root_node()];
    while let Some(node) = pending.pop() {
        for child in node.children(&mut cursor) {
            parents.insert(child.id(), node.into_raw());
            pending.push(child);
        }
    }
    INDEXES.with_borrow_mut(|indexes| {
        indexes.push(TreeIndex {
            tree: raw_tree,
            parents,
            nearest: RefCell::new(HashMap::new()),
        })
    });
    Some(ParentIndex {
        tree: raw_tree,
        _tree: std::marker::PhantomData,
    })
}

/// `node`'s parent from this thread's index of its tree: `None` when its
/// tree has no index, `Some(None)` for the root.
fn indexed_parent<'t>(node: Node<'t>) -> Option<Option<Node<'t>>> {
    let tree = node.into_raw().tree;
    INDEXES.with_borrow(|indexes| {
        let index = indexes.iter().rev().find(|i| i.tree == tree)?;
        // SAFETY: the index holds nodes of the tree `node` borrows for 't
        // (same tree pointer, and a tree's index is dropped before it).
        Some(
            index
                .parents
                .get(&node.id())
                .map(|&p| unsafe { Node::from_raw(p) }),
        )
    })
}

/// The nodes enclosing a node, its parent first and the root last, as
/// [`ancestors`] and [`climb`] give them: an iterator, plus
/// [`Above::first`] and [`Above::get`] to look ahead without taking.
/// In an indexed tree ([`ParentIndex`]) each node is found as it is
/// asked for, so looking at the parent alone costs one step.
#[derive(Clone, Debug)]
pub struct Above<'t>(AboveFrom<'t>);

#[derive(Clone, Debug)]
enum AboveFrom<'t> {
    /// The whole list, from one descent, and how many were taken.
    Listed(Vec<Node<'t>>, usize),
    /// The next node, its parents found in the index as they are asked for.
    Indexed(Option<Node<'t>>),
}

impl<'t> Above<'t> {
    /// The next node (the parent, before any is taken), or `None` at the root.
    pub fn first(&self) -> Option<Node<'t>> {
        self.get(0)
    }

    /// The `n`th next node (0 is [`Above::first`]), or `None` past the root.
    pub fn get(&self, n: usize) -> Option<Node<'t>> {
        match &self.0 {
            AboveFrom::Listed(nodes, taken) => nodes.get(taken + n).copied(),
            AboveFrom::Indexed(_) => self.clone().nth(n),
        }
    }
}

impl<'t> Iterator for Above<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        match &mut self.0 {
            AboveFrom::Listed(nodes, taken) => {
                let node = nodes.get(*taken).copied();
                *taken += 1;
                node
            }
            AboveFrom::Indexed(next) => {
                let node = (*next)?;
                *next = match indexed_parent(node) {
                    Some(parent) => parent,
                    // The index was dropped meanwhile: one descent.
                    None => {
                        *self = Above(AboveFrom::Listed(descend_to(node), 0));
                        return Some(node);
                    }
                };
                Some(node)
            }
        }
    }
}

/// The nodes enclosing `node`, its parent first and the root last.
///
/// In a tree with a [`ParentIndex`] on this thread, each is found in the
/// index when the iterator reaches it. Else one descent from the root:
/// `Node::parent` itself descends from the root on each call, so climbing
/// parent by parent costs the square of the depth (10,000 nested `if`s
/// took minutes); this costs the depth times the width of the nodes on
/// the way.
pub fn ancestors<'t>(node: Node<'t>) -> Above<'t> {
    match indexed_parent(node) {
        Some(parent) => Above(AboveFrom::Indexed(parent)),
        None => Above(AboveFrom::Listed(descend_to(node), 0)),
    }
}

/// The nodes enclosing `node`, its parent first and the root last, by one
/// descent from the root.
fn descend_to<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let raw = node.into_raw();
    // SAFETY: `raw.tree` is the tree that `node` borrows for 't, so it is
    // alive, and its root node borrows the same tree for the same time.
    let root: Node<'t> = unsafe { Node::from_raw(tree_sitter::ffi::ts_tree_root_node(raw.tree)) };
    let mut path = Vec::new();
    let mut current = root;
    while current.node_id() != node.node_id() {
        path.push(current);
        match current.child_with_descendant(node) {
            Some(next) => current = next,
            None => break,
        }
    }
    path.reverse();
    path
}

/// The kinds of ancestor [`nearest_ancestor`] looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Nearest {
    /// A `function_definition`.
    Function,
    /// A `function_definition`, or a node of code that did not parse
    /// (`ERROR`, or a node that `is_error`).
    FunctionOrError,
}

impl Nearest {
    fn matches(self, node: Node) -> bool {
        match self {
            Nearest::Function => node.kind() == "function_definition",
            Nearest::FunctionOrError => {
                node.kind() == "function_definition" || node.is_error() || node.kind() == "ERROR"
            }
        }
    }
}

/// The nearest node enclosing `node` (not `node` itself) of the kind
/// `wanted`, if any. In an indexed tree ([`ParentIndex`]) each answer is
/// kept for every node the climb passed, so the references of a static
/// deep in one chain cost one climb through it in all, not one each.
pub fn nearest_ancestor(node: Node<'_>, wanted: Nearest) -> Option<Node<'_>> {
    let tree = node.into_raw().tree;
    let indexed = INDEXES.with_borrow(|indexes| indexes.iter().any(|i| i.tree == tree));
    if !indexed {
        return ancestors(node).find(|&n| wanted.matches(n));
    }
    let mut passed = vec![node.id()];
    let mut current = node;
    let found = loop {
        let parent = match indexed_parent(current) {
            Some(Some(parent)) => parent,
            Some(None) => break None,
            None => return ancestors(node).find(|&n| wanted.matches(n)),
        };
        if wanted.matches(parent) {
            break Some(parent);
        }
        let known = INDEXES.with_borrow(|indexes| {
            let index = indexes.iter().rev().find(|i| i.tree == tree)?;
            let known = index.nearest.borrow().get(&(wanted, parent.id())).copied();
            known
        });
        if let Some(known) = known {
            // SAFETY: as in `indexed_parent`: a node of `node`'s tree.
            break known.map(|n| unsafe { Node::from_raw(n) });
        }
        passed.push(parent.id());
        current = parent;
    };
    INDEXES.with_borrow(|indexes| {
        if let Some(index) = indexes.iter().rev().find(|i| i.tree == tree) {
            let mut nearest = index.nearest.borrow_mut();
            for id in passed {
                nearest.insert((wanted, id), found.map(|n| n.into_raw()));
            }
        }
    });
    found
}

/// Climbs from `node` while `step(parent, child)` holds (`child` is the
/// node climbed to so far, `node` at first): the node reached, and the
/// nodes above it, its parent first and the root last (empty when the
/// climb reached the root).
///
/// Costs one [`ancestors`] whatever the length of the climb, where
/// climbing by [`Node::parent`] costs the depth at each step: 30,000
/// casts around a copy of a static took 35 s (a release build). In an
/// indexed tree it costs the steps climbed.
pub fn climb<'t>(
    node: Node<'t>,
    mut step: impl FnMut(Node<'t>, Node<'t>) -> bool,
) -> (Node<'t>, Above<'t>) {
    let mut above = ancestors(node);
    let mut reached = node;
    while let Some(parent) = above.first() {
        if !step(parent, reached) {
            break;
        }
        reached = parent;
        above.next();
    }
    (reached, above)
}

/// A [`climb`] step for a function named as a value: whether `parent`,
/// reached from `child`, still holds that value: a cast, parentheses, or,
/// when `address_is_value` (the name is the function's own, not a variable
/// or parameter that holds it), its address (`&init`), which C makes the
/// same pointer as `init` (`call_once(&flag, &init)`).
pub fn holds_function_value(parent: Node, child: Node, address_is_value: bool) -> bool {
    match parent.kind() {
        "cast_expression" | "parenthesized_expression" => true,
        "pointer_expression" => {
            address_is_value
                && parent.child_by_field_name("argument") == Some(child)
                && parent.child_by_field_name("operator").map(|o| o.kind()) == Some("&")
        }
        _ => false,
    }
}

/// The named children of `parent` before `child` and after it, each in
/// source order (`child` in neither; both empty when `child` is not a
/// child of `parent`): what `Node::prev_named_sibling` and
/// `Node::next_named_sibling` give one at a time, for one pass over the
/// children, where each of those calls descends from the root.
pub fn named_siblings<'t>(parent: Node<'t>, child: Node<'t>) -> (Vec<Node<'t>>, Vec<Node<'t>>) {
    let mut cursor = parent.walk();
    let mut children: Vec<Node<'t>> = parent.named_children(&mut cursor).collect();
    match children.iter().position(|c| c.node_id() == child.node_id()) {
        Some(at) => {
            let after = children.split_off(at + 1);
            children.pop();
            (children, after)
        }
        None => (Vec::new(), Vec::new()),
    }
}

/// The `function_definition` enclosing `node`, if any.
pub fn enclosing_function(node: Node) -> Option<Node> {
    nearest_ancestor(node, Nearest::Function)
}

/// The file-scope function definitions of a tree, by name (the first of
/// each name wins).
pub fn function_definitions<'t, 's>(
    root: Node<'t>,
    source: &'s [u8],
) -> HashMap<&'s [u8], Node<'t>> {
    let mut found = HashMap::new();
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "function_definition" => {
                    if let Some(name) = function_name(child, source) {
                        found.entry(name.as_bytes()).or_insert(child);
                    }
                }
                // `#ifdef` blocks and `extern "C"`-like wrappers at file scope
                k if k.starts_with("preproc_")
                    || k == "linkage_specification"
                    || k == "declaration_list" =>
                {
                    pending.push(child)
                }
                _ => {}
            }
        }
    }
    found
}

/// The name a `function_definition` defines.
pub fn function_name<'s>(function: Node, source: &'s [u8]) -> Option<&'s str> {
    let mut declarator = function.child_by_field_name("declarator")?;
    loop {
        match declarator.kind() {
            "identifier" => return declarator.utf8_text(source).ok(),
            _ => declarator = declarator.child_by_field_name("declarator")?,
        }
    }
}

/// The identifier words of `text`, in order: its runs of ASCII letters,
/// digits and `_` that do not start with a digit. A name is among them
/// when [`word_ends`] finds it (an identifier `name`).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
}

/// The byte offsets just past every place where `name` stands in `text` as
/// a whole C identifier (not inside a longer one), in increasing order;
/// nothing for an empty `name`.
pub fn word_ends<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    text.match_indices(name)
        .filter(move |_| !name.is_empty())
        .map(move |(at, _)| (at, at + name.len()))
        .filter(move |&(at, end)| {
            (at == 0 || !is_word(bytes[at - 1])) && (end == bytes.len() || !is_word(bytes[end]))
        })
        .map(|(_, end)| end)
}

/// The byte offsets just past each whole-word `name` in `text` that can
/// name a variable: [`word_ends`] without a word right after `.` or `->`
/// (blanks between allowed), which is a member of a struct or union
/// (`#define STATE_CACHE(st) ((st)->cache)` names the member `cache`,
/// never a static of that name).
pub fn variable_ends<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    word_ends(text, name).filter(move |&end| {
        // Blanks and a macro body's line continuations may stand between
        // (`(st) ->   \⏎ cache`).
        let mut before = text[..end - name.len()].trim_end();
        while let Some(rest) = before.strip_suffix('\\') {
            before = rest.trim_end();
        }
        !(before.ends_with("->") || before.ends_with('.'))
    })
}

/// [`variable_ends`] of a macro body's code: without the words in string
/// and character literals (`#define NAME "cache"`) and the names of
/// attributes (`cold` and `section` in `__attribute__((cold,
/// section("x")))`, `noinline` in `__declspec(noinline)`, `gnu` and `cold`
/// in `[[gnu::cold]]`), which no variable lookup takes. An attribute's
/// arguments stay (`copy(cache)` names a variable).
pub fn code_variable_ends(text: &str, name: &str) -> Vec<usize> {
    let mut ends: Vec<usize> = variable_ends(text, name).collect();
    if !ends.is_empty() {
        let skipped = nameless_ranges(text);
        ends.retain(|&end| {
            let at = skipped.partition_point(|r| r.end < end);
            skipped.get(at).is_none_or(|r| r.start > end - name.len())
        });
    }
    ends
}

/// The byte ranges of `text` where no word names a variable (see
/// [`code_variable_ends`]), in increasing order: each literal, and each
/// attribute name. One pass: an attribute's parentheses are followed from
/// its keyword to their close.
fn nameless_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut ranges = Vec::new();
    // Paren depth inside the attribute being read, and the depth (parens,
    // or brackets for `[[…]]`) at which its names stand.
    let mut attribute: Option<(usize, usize, bool)> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' || b == b'\'' {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(bytes.len());
            ranges.push(start..i);
            continue;
        }
        if is_word(b) && (i == 0 || !is_word(bytes[i - 1])) {
            let start = i;
            while i < bytes.len() && is_word(bytes[i]) {
                i += 1;
            }
            let word = &text[start..i];
            match attribute {
                Some((depth, names_at, _)) if depth == names_at => ranges.push(start..i),
                Some(_) => {}
                None => match word {
                    "__attribute__" | "__attribute" => attribute = Some((0, 2, false)),
                    "__declspec" => attribute = Some((0, 1, false)),
                    _ => {}
                },
            }
            continue;
        }
        match (b, &mut attribute) {
            (b'[', None) if bytes.get(i + 1) == Some(&b'[') => {
                attribute = Some((0, 0, true));
                i += 1;
            }
            (b']', Some((0, _, true))) if bytes.get(i + 1) == Some(&b']') => {
                attribute = None;
                i += 1;
            }
            (b'(', Some((depth, _, _))) => *depth += 1,
            (b')', Some((depth, _, bracketed))) => {
                *depth = depth.saturating_sub(1);
                if *depth == 0 && !*bracketed {
                    attribute = None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    ranges
}

/// The argument at the 0-based `position` of the call `call` (a
/// `call_expression`), comments not counted, as [`call_argument`] counts
/// them: the inverse of that function. `None` when the call has fewer.
pub fn argument_at(call: Node, position: usize) -> Option<Node> {
    let arguments = call.child_by_field_name("arguments")?;
    let mut cursor = arguments.walk();
    let argument = arguments
        .named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .nth(position);
    argument
}

/// A node passed straight to a call (as a whole argument, not inside one):
/// the callee's text, the argument's 0-based position (comments not
/// counted), and the `call_expression`. `None` when `node` is not an
/// argument.
///
/// Asked of every reference of a static: only a node that the text shows
/// may be a whole argument costs a descent from the root, and one, not
/// one per `Node::parent` (a chain of 30,000 `else if (a == i)` was
/// quadratic). `may_be_argument` says which.
pub fn call_argument<'t, 's>(
    node: Node<'t>,
    source: &'s [u8],
) -> Option<(&'s str, usize, Node<'t>)> {
    if !may_be_argument(node, source) {
        return None;
    }
    let above = ancestors(node);
    let arguments = above.first().filter(|p| p.kind() == "argument_list")?;
    let call = above.get(1).filter(|c| c.kind() == "call_expression")?;
    let callee = call
        .child_by_field_name("function")?
        .utf8_text(source)
        .ok()?;
    let position = arguments
        .named_children(&mut arguments.walk())
        .filter(|a| a.kind() != "comment")
        .position(|a| a.node_id() == node.node_id())?;
    Some((callee, position, call))
}

/// Whether the text around `node` lets it be a whole argument of a call:
/// a call's `(` (after a name other than a keyword, or after `)` or `]`)
/// or `,` before it and `,` or `)` after it, blanks aside, or a
/// comment, a directive line or a line continuation on either side (what
/// lies inside those is not read, so they always let it). `false` means
/// it is not one; `true` that [`call_argument`] must look at the tree.
fn may_be_argument(node: Node, source: &[u8]) -> bool {
    let (Some(before), Some(after)) = (
        source.get(..node.start_byte()),
        source.get(node.end_byte()..),
    ) else {
        return false;
    };
    let before = before.trim_ascii_end();
    let opens = match before.last() {
        // A call's `(` follows its callee (a name, or `)`/`]` of an
        // expression): not `if (`, `while (`, `= (`, a cast's or a
        // parenthesised expression's.
        Some(b'(') => {
            let callee = before[..before.len() - 1].trim_ascii_end();
            let start = callee
                .iter()
                .rposition(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
                .map_or(0, |i| i + 1);
            match callee.last() {
                Some(c) if c.is_ascii_alphanumeric() || *c == b'_' => !matches!(
                    &callee[start..],
                    b"if" | b"while" | b"for" | b"switch" | b"return" | b"sizeof" | b"case"
                ),
                Some(b')' | b']' | b'/' | b'\\') => true,
                _ => false,
            }
        }
        Some(b',' | b'/' | b'\\') => true,
        // A line comment or a directive on the line before. Only a line
        // before the node's own can be either (a `//` on its line would
        // comment the node out), so a node on the line of the text before
        // it costs nothing: the line is not read once per reference (a
        // chain of 30,000 tests of a static on one line was quadratic).
        _ if !source[before.len()..node.start_byte()].contains(&b'\n') => false,
        _ => {
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let line = &before[line_start..];
            line.trim_ascii_start().starts_with(b"#") || memchr::memmem::find(line, b"//").is_some()
        }
    };
    opens
        && matches!(
            after.iter().find(|b| !b.is_ascii_whitespace()),
            Some(b',' | b')' | b'/' | b'#' | b'\\')
        )
}

/// The call expressions inside `node` (itself included), in the order of
/// a depth-first walk that visits the last child first.
pub fn calls_in(node: Node) -> Vec<Node> {
    let mut calls = Vec::new();
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor));
        if node.kind() == "call_expression" {
            calls.push(node);
        }
    }
    calls
}

/// Skips parentheses and casts around an expression: the expression that
/// decides the value (`((T *)(v))` gives `v`). A parenthesised comment
/// stops the descent.
pub fn strip_parens(mut node: Node) -> Node {
    loop {
        match node.kind() {
            "parenthesized_expression" => match node.named_child(0) {
                Some(inner) if inner.kind() != "comment" => node = inner,
                _ => return node,
            },
            "cast_expression" => match node.child_by_field_name("value") {
                Some(inner) => node = inner,
                None => return node,
            },
            _ => return node,
        }
    }
}

/// Whether an expression is a null pointer constant (C11 6.3.2.3): `NULL`,
/// an integer constant zero in any spelling (`0`, `0L`, `0x0`, `00`,
/// `0u`), either through parentheses and casts (`(PyObject *)NULL`,
/// `((void *)0)`).
pub fn is_null_constant(node: Node, source: &[u8]) -> bool {
    let node = strip_parens(node);
    match node.kind() {
        "null" => true,
        "number_literal" => node.utf8_text(source).is_ok_and(is_zero_literal),
        _ => false,
    }
}

/// Whether a C integer literal's text is zero: digits all `0` after an
/// optional `0x`/`0b` prefix, then an optional suffix of `u`, `l`, `ll`
/// (any case, any order). `0.0` (a floating constant) is not one.
pub(crate) fn is_zero_literal(text: &str) -> bool {
    let digits = text.trim_end_matches(['u', 'U', 'l', 'L']);
    let digits = ["0x", "0X", "0b", "0B"]
        .iter()
        .find_map(|prefix| digits.strip_prefix(prefix))
        .unwrap_or(digits);
    !digits.is_empty() && digits.bytes().all(|b| b == b'0')
}

/// (name, body) of every macro definition in the file, found through their
/// `#define` tokens rather than a walk of the whole tree. A function-like
/// macro's body is given with its own parameters blanked: there they name
/// the macro's arguments, never a variable of the file
/// (`#define CAST(func) ((PyCFunction)(func))`).
pub fn macro_bodies(root: Node, bytes: &[u8]) -> Vec<(String, String)> {
    keyword_tokens(root, bytes, &["#define"])
        .into_iter()
        .filter_map(|k| k.parent)
        .filter(|node| matches!(node.kind(), "preproc_def" | "preproc_function_def"))
        .map(|node| {
            let name = node
                .child_by_field_name("name")
                .and_then(|n| n.utf8_text(bytes).ok())
                .unwrap_or("")
                .to_owned();
            let mut body = node
                .child_by_field_name("value")
                .and_then(|b| b.utf8_text(bytes).ok())
                .unwrap_or("")
                .to_owned();
            if let Some(parameters) = node.child_by_field_name("parameters") {
                let mut cursor = parameters.walk();
                for parameter in parameters.named_children(&mut cursor) {
                    let Ok(parameter) = parameter.utf8_text(bytes) else {
                        continue;
                    };
                    let ends: Vec<usize> = word_ends(&body, parameter).collect();
                    for end in ends.into_iter().rev() {
                        let blank = " ".repeat(parameter.len());
                        body.replace_range(end - parameter.len()..end, &blank);
                    }
                }
            }
            (name, body)
        })
        .collect()
}

/// The name of each of the file's function-like macro definitions
/// (`#define f(x) …`; a name defined twice comes twice), found through
/// their `#define` tokens as [`macro_bodies`] finds every macro. Such a
/// name is expanded only where the next token is `(`.
pub fn function_like_macros(root: Node, bytes: &[u8]) -> Vec<String> {
    keyword_tokens(root, bytes, &["#define"])
        .into_iter()
        .filter_map(|k| k.parent)
        .filter(|node| node.kind() == "preproc_function_def")
        .filter_map(|node| node.child_by_field_name("name")?.utf8_text(bytes).ok())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `descendants` gives a subtree's nodes in the order a recursive
    /// preorder walk does, the root first, and nothing outside the root
    /// (its next siblings and parent are not visited).
    #[test]
    fn descendants_walk_a_subtree_in_preorder() {
        fn preorder<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
            out.push(node);
            let mut cursor = node.walk();
            for child in node.children(&mut cursor) {
                preorder(child, out);
            }
        }
        let source = b"int f(int a) { int b = a; if (a) { return b; } }\nint g;\n";
        let tree = parse(&mut new_parser(), source).unwrap();
        let function = tree.root_node().named_child(0).unwrap();
        for root in [
            tree.root_node(),
            function,
            function.child_by_field_name("body").unwrap(),
        ] {
            let mut expected = Vec::new();
            preorder(root, &mut expected);
            assert_eq!(
                descendants(root).collect::<Vec<_>>(),
                expected,
                "{}",
                root.kind()
            );
        }
        let leaf = function.child_by_field_name("type").unwrap();
        assert_eq!(descendants(leaf).collect::<Vec<_>>(), vec![leaf]);
    }

    /// A macro body names a variable only in its code: not in a literal,
    /// not as an attribute's name (before, `#define COLD
    /// __attribute__((cold))` made the fix of a static `cold` unsafe, "used
    /// inside the body of macro `COLD`"); an attribute's argument does.
    #[test]
    fn code_variable_ends_skip_literals_and_attribute_names() {
        let found = |body: &str| code_variable_ends(body, "cold").len();
        assert_eq!(found("__attribute__((cold))"), 0);
        assert_eq!(
            found("__attribute__ (( hot, section(\"cold\"), cold )) int"),
            0
        );
        assert_eq!(found("__attribute((cold)) f(cold)"), 1);
        assert_eq!(found("__declspec(cold) __declspec(align(8))"), 0);
        assert_eq!(found("[[gnu::cold]] [[cold]]"), 0);
        assert_eq!(found("\"cold\" 'c' \"\\\"cold\""), 0);
        assert_eq!(found("__attribute__((copy(cold)))"), 1);
        assert_eq!(found("__attribute__((aligned(sizeof(cold)))) x = cold"), 2);
        assert_eq!(found("p->cold + cold"), 1);
    }

    #[test]
    fn zero_in_every_integer_spelling_is_a_null_constant() {
        for zero in [
            "0", "0L", "0l", "0UL", "0ull", "0x0", "0X00", "00", "0u", "0b0",
        ] {
            assert!(is_zero_literal(zero), "{zero}");
        }
        for other in ["1", "0x10", "0.0", "10", "0x", "01", "0e0", "u"] {
            assert!(!is_zero_literal(other), "{other}");
        }
    }

    /// One byte over the largest text is refused before anything is
    /// parsed.
    #[test]
    fn a_text_over_the_largest_stack_is_not_parsed() {
        assert_eq!(MAX_PARSE_STACK, (6 << 30) + (128 << 10));
        let text = vec![b'\n'; MAX_PARSE_BYTES + 1];
        let mut parser = new_parser();
        assert!(matches!(
            parse(&mut parser, &text),
            Err(ParseFailure::TooLarge { bytes }) if bytes == MAX_PARSE_BYTES + 1
        ));
    }

    /// The deepest node's level, by visiting every node.
    fn max_depth(tree: &Tree) -> usize {
        let mut cursor = tree.walk();
        let (mut depth, mut deepest) = (0, 0);
        loop {
            if cursor.goto_first_child() {
                depth += 1;
                deepest = deepest.max(depth);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return deepest;
                }
                depth -= 1;
            }
        }
    }

    /// Skipping the subtrees too small to reach the limit answers as
    /// visiting every node does, at every limit around the depth, on
    /// deep, wide, broken and ordinary trees.
    #[test]
    fn deeper_than_agrees_with_a_walk_of_every_node() {
        let texts: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"int x;".to_vec(),
            format!(
                "void f(void) {{ {}x = 1;{} }}",
                "{".repeat(300),
                "}".repeat(300)
            )
            .into_bytes(),
            format!("void f(void) {{ g({}\n}}", "x = 1; ".repeat(3000)).into_bytes(),
            format!("int y = {}1{};", "(".repeat(500), ")".repeat(500)).into_bytes(),
            format!("void f(void) {{ {} }}", "if (x) ".repeat(200)).into_bytes(),
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/runtime/oncevar.h")).unwrap(),
        ];
        let mut parser = new_parser();
        for text in texts {
            let tree = parse(&mut parser, &text).unwrap();
            let deepest = max_depth(&tree);
            for limit in deepest.saturating_sub(3)..deepest + 3 {
                assert_eq!(
                    deeper_than(&tree, limit),
                    deepest > limit,
                    "limit {limit}, deepest {deepest}: {}",
                    String::from_utf8_lossy(&text[..text.len().min(80)])
                );
            }
        }
    }

    #[test]
    fn block_macros_are_read_as_braces_when_they_pair_in_one_branch() {
        let pairs = |text: &str| -> Vec<(String, char)> {
            super::brace_macros(text.as_bytes())
                .into_iter()
                .map(|(r, b)| (text[r].to_owned(), b as char))
                .collect()
        };
        assert_eq!(
            pairs("Py_BEGIN_ALLOW_THREADS x(); Py_END_ALLOW_THREADS"),
            [
                ("Py_BEGIN_ALLOW_THREADS".to_owned(), '{'),
                ("Py_END_ALLOW_THREADS".to_owned(), '}')
            ]
        );
        // After a label the closing macro is its statement, then the brace.
        assert_eq!(
            pairs("Py_BEGIN_ALLOW_THREADS x(); done:\nPy_END_ALLOW_THREADS"),
            [
                ("Py_BEGIN_ALLOW_THREADS".to_owned(), '{'),
                ("P".to_owned(), ';'),
                ("y_END_ALLOW_THREADS".to_owned(), '}')
            ]
        );
        let labelled = "static int f(int rc) {\nPy_BEGIN_ALLOW_THREADS\nif (rc < 0) goto done;\n\
                        rc++;\ndone:\nPy_END_ALLOW_THREADS\nreturn rc;\n}\n\
                        static PyObject *after;\n";
        let tree = parse(&mut new_parser(), labelled.as_bytes()).unwrap();
        assert!(
            !tree.root_node().has_error(),
            "{}",
            tree.root_node().to_sexp()
        );
        assert_eq!(
            pairs("Py_TRASHCAN_BEGIN(op, f(x))\nfree(op);\nPy_TRASHCAN_END"),
            [
                ("Py_TRASHCAN_BEGIN(op, f(x))".to_owned(), '{'),
                ("Py_TRASHCAN_END".to_owned(), '}')
            ]
        );
        // Opened under one #ifdef, closed under another: left as it is.
        assert!(pairs(
            "#ifdef T\nPy_BEGIN_ALLOW_THREADS\n#endif\nx();\n#ifdef T\nPy_END_ALLOW_THREADS\n#endif\n"
        )
        .is_empty());
        // A file's own name for one; comments and strings are not code.
        assert_eq!(
            pairs("#define NOGIL Py_BEGIN_ALLOW_THREADS\nNOGIL /* Py_BEGIN_ALLOW_THREADS */ \"Py_END_ALLOW_THREADS\" Py_END_ALLOW_THREADS")
                .len(),
            2
        );
        // An alias of an alias, a function-like alias, and a pair whose
        // bodies hold the braces.
        assert_eq!(
            pairs(
                "#define OPEN Py_BEGIN_ALLOW_THREADS\n#define ENTER OPEN\n\
                   #define LEAVE() Py_END_ALLOW_THREADS\nENTER x(); LEAVE()"
            ),
            [("ENTER".to_owned(), '{'), ("LEAVE()".to_owned(), '}')]
        );
        assert_eq!(
            pairs(
                "#define SAVE(t) { PyThreadState *t = \\\n    PyEval_SaveThread();\n\
                   #define RESTORE(t) PyEval_RestoreThread(t); }\nSAVE(ts) x(); RESTORE(ts)"
            ),
            [
                ("SAVE(ts)".to_owned(), '{'),
                ("RESTORE(ts)".to_owned(), '}')
            ]
        );
        // A body whose braces balance hides none.
        assert!(pairs("#define BLOCK(x) { x; }\nBLOCK(a) BLOCK(b)").is_empty());
        // A project's macro named like CPython's (psycopg2, lxml) is one;
        // a compat definition of CPython's critical section is not.
        assert_eq!(
            pairs(
                "#define Py_BEGIN_ALLOW_THREADS_IF(c) { PyThreadState *_save = NULL; \\\n\
                   if (c) _save = PyEval_SaveThread();\n\
                   #define Py_END_ALLOW_THREADS_IF if (_save) PyEval_RestoreThread(_save); }\n\
                   Py_BEGIN_ALLOW_THREADS_IF(n > 4) x(); Py_END_ALLOW_THREADS_IF"
            ),
            [
                ("Py_BEGIN_ALLOW_THREADS_IF(n > 4)".to_owned(), '{'),
                ("Py_END_ALLOW_THREADS_IF".to_owned(), '}')
            ]
        );
        assert!(pairs(
            "#define Py_BEGIN_CRITICAL_SECTION(op) {\n#define Py_END_CRITICAL_SECTION() }\n\
             Py_BEGIN_CRITICAL_SECTION(o) x(); Py_END_CRITICAL_SECTION()"
        )
        .is_empty());
        // A word that merely contains one (socketmodule's sock_fd) is no
        // lock; a lock call in the body is.
        assert_eq!(
            pairs(
                "#define BEGIN_SOCK_IO(s) { PyThreadState *_save = PyEval_SaveThread(); \
                   int _fd = (s)->sock_fd;\n#define END_SOCK_IO PyEval_RestoreThread(_save); }\n\
                   BEGIN_SOCK_IO(s) x(_fd); END_SOCK_IO"
            )
            .len(),
            2
        );
        assert!(pairs(
            "#define LOCK_IT(m) { pthread_mutex_lock(m);\n#define UNLOCK_IT(m) \
             pthread_mutex_unlock(m); }\nLOCK_IT(m) x(); UNLOCK_IT(m)"
        )
        .is_empty());
        assert!(super::names_a_lock(b"AcquireSRWLockExclusive(&l)"));
        assert!(!super::names_a_lock(b"clock(); Py_BLOCK_THREADS sock_fd"));
    }

    #[test]
    fn statement_macros_without_semicolon_are_read_as_empty_statements() {
        let found = |text: &str| -> Vec<(String, char)> {
            super::brace_macros(text.as_bytes())
                .into_iter()
                .map(|(r, b)| (text[r].to_owned(), b as char))
                .collect()
        };
        let semi = |name: &str| (name.to_owned(), ';');
        assert_eq!(
            found("{ Py_UNBLOCK_THREADS\nlevel_t l = 3;\nPy_BLOCK_THREADS\nif (a) f(); }"),
            [semi("Py_UNBLOCK_THREADS"), semi("Py_BLOCK_THREADS")]
        );
        // With their `;`, or where no statement stands: left as they are.
        assert!(found("{ Py_UNBLOCK_THREADS; x(); Py_BLOCK_THREADS ; }").is_empty());
        assert!(found("int a[] = { Py_BLOCK_THREADS, 1 };").is_empty());
        // The text's own: an alias, a call, a keyword statement, a block; not
        // a declaration, an initialiser or a macro taking arguments.
        assert_eq!(
            found(
                "#define REL Py_UNBLOCK_THREADS\n#define CALL f(x);\n\
                 #define REQ if (!a) return NULL;\n#define BLK { g(); }\n\
                 #define HEAD PyObject ob_base;\n#define INIT { 0 }\n#define ARG(a) f(a);\n\
                 { REL T t; CALL T u; REQ T v; BLK T w; HEAD T x; ARG(1) T y; } int z = INIT;"
            ),
            [semi("REL"), semi("CALL"), semi("REQ"), semi("BLK")]
        );
    }

    #[test]
    fn conditional_directives_inside_an_initializer_list_read_as_blanks() {
        let source = b"static PyModuleDef_Slot slots[] = {\n#ifdef Py_mod_gil\n    {Py_mod_gil, \
                       Py_MOD_GIL_NOT_USED},\n#else\n    {0, NULL},\n#endif\n    {0, NULL},\n};\n\
                       void f(void) {\n#ifdef X\n    g();\n#endif\n}\n";
        assert_eq!(directives_in_initializers(source).len(), 3);
        let mut parser = new_parser();
        let tree = parse(&mut parser, source).unwrap();
        assert_eq!(error_count(&tree), 0, "{}", tree.root_node().to_sexp());
        // The function body's directive stays a directive.
        assert!(tree.root_node().to_sexp().contains("preproc_ifdef"));
        let claim = memchr::memmem::find(source, b"Py_MOD_GIL_NOT_USED").unwrap();
        let node = tree
            .root_node()
            .descendant_for_byte_range(claim, claim + 19)
            .unwrap();
        assert_eq!(node.parent().unwrap().kind(), "initializer_list");
    }

    /// The tree of `source`, which must have no error.
    fn parsed_cleanly(source: &[u8]) -> Tree {
        let tree = parse(&mut new_parser(), source).unwrap();
        assert_eq!(error_count(&tree), 0, "{}", tree.root_node().to_sexp());
        tree
    }

    /// The kinds of the root's named children.
    fn top_kinds(tree: &Tree) -> Vec<&str> {
        (0..tree.root_node().named_child_count())
            .map(|i| tree.root_node().named_child(i as u32).unwrap().kind())
            .collect()
    }

    #[test]
    fn a_comment_inside_a_macro_body_reads_as_a_blank() {
        let source =
            b"#define FAIL() do { \\\r\n    /* the caller set it */ \\\r\n    return NULL; \\\r\n\
                       } while (0)\r\n#define X(a) f(a) /* c */ + 1 /* \"*/\nstatic int v;\n\
                       /* outside */ int w;\n";
        // The last comment ends its definition and is left alone.
        assert!(may_hold_comments_in_definitions(source));
        assert!(!may_hold_comments_in_definitions(
            b"#define A 1 /* one */\n/* #define */ x;\n"
        ));
        assert_eq!(comments_in_definitions(source).len(), 2);
        let tree = parsed_cleanly(source);
        let kinds = top_kinds(&tree);
        assert_eq!(
            kinds,
            [
                "preproc_function_def",
                "preproc_function_def",
                "declaration",
                "comment",
                "declaration"
            ]
        );
        // The body runs to the end of the definition, comment and all.
        let body = tree.root_node().named_child(0).unwrap();
        let body = body.child_by_field_name("value").unwrap();
        let body = body.utf8_text(source).unwrap();
        assert!(body.trim_end().ends_with("} while (0)"), "{body:?}");
    }

    /// A comment over continued lines of a `#define` is blanked line by
    /// line, each splice kept (the body stays one logical line, in LF and
    /// CRLF); one over a line break that is not spliced is left alone.
    #[test]
    fn a_comment_over_continued_lines_in_a_macro_body_reads_as_blanks() {
        for eol in ["\n", "\r\n"] {
            let source = "#define FAIL() do { \\\n    /* the caller \\\n       set it */ \\\n    \
                          return NULL; \\\n} while (0)\nstatic int v;\n"
                .replace('\n', eol);
            let tree = parsed_cleanly(source.as_bytes());
            assert_eq!(top_kinds(&tree), ["preproc_function_def", "declaration"]);
            let blanked: Vec<&str> = comments_in_definitions(source.as_bytes())
                .into_iter()
                .map(|r| &source[r])
                .collect();
            assert_eq!(blanked, ["/* the caller ", "       set it */"]);
        }
        assert_eq!(spliced_lines(b"/* a\n b */"), None);
    }

    #[test]
    fn lone_crs_end_lines_for_tree_sitter_at_the_same_offsets() {
        let source = b"#include <Python.h>\rstatic int *v;\r// c\rint w;\r\n";
        let tree = parsed_cleanly(source);
        let kinds = top_kinds(&tree);
        assert_eq!(
            kinds,
            ["preproc_include", "declaration", "comment", "declaration"]
        );
        let w = tree.root_node().named_child(3).unwrap();
        assert_eq!(&source[w.byte_range()], b"int w;");
    }

    /// A file-scope use of a macro that defines a function, without a `;`,
    /// is blanked when that parses better; other shapes stay.
    #[test]
    fn function_defining_macro_uses_are_blanked() {
        let text = "#define DEF_GETTER(func) \\\n    static PyObject *get_##func(void) { return lookup(#func); }\n\
                    #define CHECK(x) if (x) { fail(); }\n\
                    DEF_GETTER(alpha)\n  DEF_GETTER(beta)  // beta\nCHECK(a)\nDEF_GETTER(gamma);\n\
                    static int\nf(void)\n{\n    return 0;\n}\n";
        let ranges = function_macro_uses(text.as_bytes());
        let blanked: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(blanked, ["(alpha)", "(beta)"]);
        // A macro the text does not define: alone between declarations
        // at file scope, not in a function, not before a body or after a
        // type.
        let text = "int a;\nFROM_HEADER(x) /* made elsewhere */\nint b;\n\
                    int f(void)\n{\n    FROM_HEADER(y)\n}\nHEAD(z)\n{\n}\n\
                    static int *\nMAKE(w)\nint c;\nconst char *s = \"{\";\nLATE(v)\n";
        let ranges = function_macro_uses(text.as_bytes());
        let blanked: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(blanked, ["(x)", "(v)"]);
        let text = "#define DEF_GETTER(func) \\\n    static PyObject *get_##func(void) { return lookup(#func); }\n\
                    DEF_GETTER(alpha)\n\nstatic PyObject *\nget(void)\n{\n    \
                    static PyObject *cache = NULL;\n    if (cache == NULL)\n        \
                    cache = PyList_New(0);\n    return cache;\n}\n";
        let mut parser = new_parser();
        let tree = parse(&mut parser, text.as_bytes()).unwrap();
        let raw = parse_on_stack(&mut parser, text.as_bytes(), None).unwrap();
        assert_eq!(error_count(&tree), 0, "{}", tree.root_node().to_sexp());
        assert!(error_count(&raw) > 0, "{}", raw.root_node().to_sexp());
    }

    /// Every node of `tree`: kind, byte range, rows and columns, and
    /// whether it is an error or missing, in document order.
    fn node_list(tree: &Tree) -> Vec<String> {
        let mut out = Vec::new();
        let mut cursor = tree.walk();
        'walk: loop {
            let node = cursor.node();
            out.push(format!(
                "{} {:?} {:?}-{:?} e{} m{}",
                node.kind(),
                node.byte_range(),
                node.start_position(),
                node.end_position(),
                node.is_error(),
                node.is_missing()
            ));
            if cursor.goto_first_child() || cursor.goto_next_sibling() {
                continue;
            }
            while cursor.goto_parent() {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
            }
            break;
        }
        out
    }

    /// The repairs' second parse reuses the first tree (told of the
    /// rewritten ranges): the tree it keeps is the one a fresh parse of
    /// the repaired text gives, node for node with the same rows and
    /// columns, whatever the line breaks (CRLF), the bytes before on a
    /// line (UTF-8) and the number of ranges.
    #[test]
    fn a_repair_keeps_the_tree_a_fresh_parse_of_its_text_gives() {
        let getter = "#define DEF_GETTER(func) \\\n    static PyObject *get_##func(void) { return lookup(#func); }\n";
        let function = "static PyObject *\nget(void)\n{\n    static PyObject *cache = NULL;\n    \
                        if (cache == NULL)\n        cache = PyList_New(0);\n    return cache;\n}\n";
        let uses = (0..40)
            .map(|i| format!("/* é{i} */\n  DEF_GETTER(g{i} /* ü */) /* ö */\n{function}"))
            .collect::<String>();
        let texts = [
            format!("{getter}DEF_GETTER(alpha)\n\n{function}"),
            format!("{getter}{uses}"),
            format!("{getter}{uses}").replace('\n', "\r\n"),
            format!("int a;\nFROM_HEADER(x) /* elsewhere */\n{function}int b = (;\nLATE(v)\n"),
            "static int t[] = {\n#ifdef A\n  1,\n#else\n  2,\n#endif\n};\nint x = (;\n".to_owned(),
        ];
        let mut parser = new_parser();
        for text in texts {
            let bytes = text.as_bytes();
            let tree = parse(&mut parser, bytes).unwrap();
            // The text parse keeps: each repair in turn, kept when it
            // leaves fewer errors, parsed afresh.
            let mut chosen = bytes.to_vec();
            let mut fresh = parse_on_stack(&mut parser, &chosen, None).unwrap();
            let repairs: [(Repair, bool); 2] = [
                (directives_in_initializers, false),
                (function_macro_uses, true),
            ];
            let mut repaired_any = false;
            for (repair, ends_item) in repairs {
                let ranges = repair(&chosen);
                if ranges.is_empty() || !fresh.root_node().has_error() {
                    continue;
                }
                let text = repaired(&chosen, ranges, ends_item);
                let tree = parse_on_stack(&mut parser, &text, None).unwrap();
                if error_count(&tree) < error_count(&fresh) {
                    (chosen, fresh, repaired_any) = (text, tree, true);
                }
            }
            assert!(repaired_any, "{text}");
            assert_eq!(node_list(&tree), node_list(&fresh), "{text}");
        }
    }

    /// A text parsed again from another text's clean tree ([`reparse`])
    /// gets the tree a fresh parse gives, node for node with the same rows
    /// and columns: changes that add and remove lines, several of them,
    /// CRLF, UTF-8 before them on the line, one at the start and one at
    /// the end; and none when the texts read differ outside the changes.
    #[test]
    fn a_reparse_gives_the_tree_a_fresh_parse_gives() {
        let old = "/* é */ static PyObject *a = NULL;\nint f(void)\n{\n    return 1;\n}\n\
                   static PyObject *b = NULL;\nint g(void) { return 2; }\nint z;";
        let cases: [(&str, Vec<(&str, &str)>); 4] = [
            (
                old,
                vec![(
                    "static PyObject *a = NULL;",
                    "Py_ONCEVAR_DECLARE(PyObject *,\n a);",
                )],
            ),
            (
                old,
                vec![
                    ("/* é */", ""),
                    ("static PyObject *a = NULL;", "int a;"),
                    (
                        "static PyObject *b = NULL;\n",
                        "#include \"oncevar.h\"\nint bb;\n\n",
                    ),
                    ("int z;", "int z; int y;"),
                ],
            ),
            (
                &old.replace('\n', "\r\n"),
                vec![("int g(void) { return 2; }", "int g;")],
            ),
            (old, vec![("return 1;", "return (1;")]),
        ];
        let mut parser = new_parser();
        for (text, swaps) in cases {
            let (tree, read) = parse_keeping_read(&mut parser, text.as_bytes()).unwrap();
            let read = read.unwrap();
            let mut new = String::new();
            let mut changes = Vec::new();
            let mut at = 0;
            for (from, to) in &swaps {
                let start = at + text[at..].find(from).unwrap();
                new.push_str(&text[at..start]);
                new.push_str(to);
                changes.push((start..start + from.len(), to.len()));
                at = start + from.len();
            }
            new.push_str(&text[at..]);
            let reparsed = reparse(&mut parser, &tree, &read, new.as_bytes(), &changes).unwrap();
            let fresh = parse(&mut parser, new.as_bytes()).unwrap();
            assert_eq!(node_list(&reparsed), node_list(&fresh), "{new}");
            // A change left out: the texts differ outside the changes.
            assert!(reparse(&mut parser, &tree, &read, new.as_bytes(), &changes[1..]).is_none());
        }
    }

    /// Blanks between a function-defining macro's name and its argument
    /// list are blanked with it (GNU style's `DEF_GETTER (alpha)`).
    #[test]
    fn a_function_macro_use_with_blanks_before_its_arguments_is_blanked() {
        let text = "#define DEF_GETTER(func) static PyObject *get_##func(void) { return 0; }\n\
                    DEF_GETTER (alpha)\nDEF_GETTER\t(beta) /* b */\nstatic int\nf(void)\n{\n    \
                    return 0;\n}\n";
        let ranges = function_macro_uses(text.as_bytes());
        let blanked: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(blanked, [" (alpha)", "\t(beta)"]);
        parsed_cleanly(text.as_bytes());
    }

    /// A parse over its budget gives up with TooSlow, and the parser then
    /// parses the next text from its start (it was reset).
    #[test]
    fn a_parse_over_its_budget_gives_up_and_the_parser_goes_on() {
        let text = "int f(void) { return 1 + 2 * 3; }\n".repeat(2_000);
        let mut parser = new_parser();
        let slow = budgeted_parse(
            &mut parser,
            &mut |i| text.as_bytes().get(i..).unwrap_or_default(),
            None,
            Duration::ZERO,
        );
        if thread_cpu_time().is_some() {
            assert!(
                matches!(slow, Err(ParseFailure::TooSlow { seconds: 0 })),
                "{slow:?}"
            );
        }
        let next = "int g;\n";
        let tree = budgeted_parse(
            &mut parser,
            &mut |i| next.as_bytes().get(i..).unwrap_or_default(),
            None,
            parse_budget(next.len()),
        )
        .unwrap();
        assert_eq!(tree.root_node().end_byte(), next.len());
        assert!(!tree.root_node().has_error());
        assert_eq!(parse_budget(0), Duration::from_secs(20));
        assert_eq!(parse_budget(3 << 20), Duration::from_secs(80));
    }

    #[test]
    fn whole_word_occurrences() {
        let text = "do { cache = f(); } while (0)";
        assert_eq!(word_ends(text, "cache").collect::<Vec<_>>(), [10]);
        assert_eq!(word_ends("my_cache_x cache_", "cache").count(), 0);
        assert_eq!(word_ends("x", "").count(), 0);
    }

    /// A word after `.` or `->` is a member, not the variable.
    #[test]
    fn a_member_is_not_a_variable() {
        let text = "((st)->cache) + s.cache + s. cache + p -> cache + cache";
        assert_eq!(
            variable_ends(text, "cache").collect::<Vec<_>>(),
            [text.len()]
        );
        assert_eq!(word_ends(text, "cache").count(), 5);
    }

    #[test]
    fn call_arguments_know_their_callee_and_position() {
        let source = b"void f(void) { g(a, /* c */ b); }";
        let tree = parse(&mut new_parser(), source).unwrap();
        let b = tree.root_node().descendant_for_byte_range(28, 29).unwrap();
        let (callee, position, call) = call_argument(b, source).unwrap();
        assert_eq!((callee, position, call.kind()), ("g", 1, "call_expression"));
    }

    /// The text gate of `call_argument` lets every whole argument through,
    /// however it is set off (a line comment or a directive line before
    /// it, a comment or a directive after it, a macro's line
    /// continuation) and answers as two `Node::parent` calls do, and
    /// stops the operands of an expression before the tree is descended.
    #[test]
    fn the_argument_gate_lets_every_argument_through() {
        let source = b"void f(void) {\n  g(a, // note\n    v0 /* c */);\n  g(\n#if X\n    v1\n#endif\n  );\n  g(x, v2 // end\n  );\n  h(x == v3, v4 + 1, (v5));\n  if (v6) x = (v7);\n  (*p)(v8);\n}\n";
        let tree = parse(&mut new_parser(), source).unwrap();
        let text = std::str::from_utf8(source).unwrap();
        let node = |name: &str| {
            let at = text.find(name).unwrap();
            tree.root_node()
                .descendant_for_byte_range(at, at + name.len())
                .unwrap()
        };
        // The answer of two `Node::parent` calls, without the gate.
        let ungated = |n: Node| {
            let arguments = n.parent().filter(|p| p.kind() == "argument_list")?;
            let call = arguments.parent()?;
            let position = arguments
                .named_children(&mut arguments.walk())
                .filter(|a| a.kind() != "comment")
                .position(|a| a.node_id() == n.node_id())?;
            Some((
                call.child_by_field_name("function")?
                    .utf8_text(source)
                    .ok()?,
                position,
            ))
        };
        for name in ["v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8"] {
            let found = call_argument(node(name), source).map(|(c, p, _)| (c, p));
            assert_eq!(found, ungated(node(name)), "{name}");
        }
        for (name, position) in [("v0", 1), ("v2", 1)] {
            let found = call_argument(node(name), source).map(|(c, p, _)| (c, p));
            assert_eq!(found, Some(("g", position)), "{name}");
        }
        for name in ["v3", "v4", "v6", "v7"] {
            assert!(!may_be_argument(node(name), source), "{name}");
        }
        assert_eq!(
            call_argument(node("v8"), source).map(|(c, p, _)| (c, p)),
            Some(("(*p)", 0))
        );
        // `(v5)` passes the gate; the tree says it is inside the argument.
        assert_eq!(call_argument(node("v5"), source), None);
        // Two descents by `Node::parent` agree with the one descent.
        let v0 = node("v0");
        let above = ancestors(v0);
        assert_eq!(
            (above.first(), above.get(1)),
            (v0.parent(), v0.parent().and_then(|p| p.parent()))
        );
        let above = ancestors(tree.root_node());
        assert_eq!((above.first(), above.get(1)), (None, None));
    }

    #[test]
    fn ancestors_run_from_the_parent_to_the_root() {
        let source = b"void f(void) { if (a) { g(b); } }";
        let tree = parse(&mut new_parser(), source).unwrap();
        let b = tree.root_node().descendant_for_byte_range(26, 27).unwrap();
        let mut climbed = Vec::new();
        let mut current = b.parent();
        while let Some(n) = current {
            climbed.push(n);
            current = n.parent();
        }
        assert_eq!(ancestors(b).collect::<Vec<_>>(), climbed);
        assert_eq!(ancestors(tree.root_node()).count(), 0);
        assert_eq!(
            enclosing_function(b).map(|f| f.kind()),
            Some("function_definition")
        );
    }

    /// With a [`ParentIndex`], every node of a tree deeper than
    /// [`INDEXED_DEPTH`] (nested blocks, a chain of `&&`, code that does
    /// not parse, directives, a nested function in an error) has the
    /// ancestors, the lookahead and the nearest function or error that the
    /// descents from the root give without it, and none once it is dropped.
    #[test]
    fn a_parent_index_gives_what_the_descents_give() {
        let depth = INDEXED_DEPTH + 10;
        let source = format!(
            "#include <x.h>\nstatic int c;\nint f(int a) {{\n{}if (c != 0{} ) g(c);\n\
             #if A\nint h(void) {{ x = ; }}\n#endif\n{}}}\nint (k; void m(void) {{ c = 1; }}\n",
            "{ ".repeat(depth),
            " && c != 0".repeat(depth),
            "} ".repeat(depth),
        );
        let tree = parse(&mut new_parser(), source.as_bytes()).unwrap();
        let mut nodes = Vec::new();
        let mut pending = vec![tree.root_node()];
        while let Some(n) = pending.pop() {
            nodes.push(n);
            let mut cursor = n.walk();
            pending.extend(n.children(&mut cursor));
        }
        let facts = |n: Node| {
            let above = ancestors(n);
            (
                above.clone().map(|a| a.id()).collect::<Vec<_>>(),
                (above.first().map(|a| a.id()), above.get(2).map(|a| a.id())),
                nearest_ancestor(n, Nearest::Function).map(|a| a.id()),
                nearest_ancestor(n, Nearest::FunctionOrError).map(|a| a.id()),
            )
        };
        let plain: Vec<_> = nodes.iter().map(|&n| facts(n)).collect();
        {
            let index = index_parents(&tree).expect("deeper than INDEXED_DEPTH");
            // Twice: the second time from the nearest ancestors found.
            for _ in 0..2 {
                let indexed: Vec<_> = nodes.iter().map(|&n| facts(n)).collect();
                assert_eq!(indexed, plain);
            }
            drop(index);
        }
        assert!(INDEXES.with_borrow(|i| i.is_empty()));
        let shallow = parse(&mut new_parser(), b"int f(void) { return 0; }").unwrap();
        assert!(index_parents(&shallow).is_none());
    }

    /// Every spelling of thread storage duration is read from the
    /// declaration (`_Thread_local` from the original text, though the
    /// tree was parsed from the compiler's view), MSVC's
    /// `__declspec(thread)` among them; other declspecs, `static` alone
    /// and the keyword's text in a string are none.
    #[test]
    fn thread_storage_reads_every_spelling() {
        let cases: &[(&str, Option<&str>)] = &[
            ("static _Thread_local PyObject *v;", Some("_Thread_local")),
            ("_Thread_local static PyObject *v;", Some("_Thread_local")),
            ("static thread_local PyObject *v;", Some("thread_local")),
            ("static __thread PyObject *v;", Some("__thread")),
            (
                "__declspec(thread) static PyObject *v;",
                Some("__declspec(thread)"),
            ),
            ("__declspec(dllexport) static PyObject *v;", None),
            ("static PyObject *v;", None),
            ("static const char *v = \"_Thread_local\";", None),
        ];
        for &(text, expected) in cases {
            let tree = parse(&mut new_parser(), text.as_bytes()).unwrap();
            assert_eq!(
                error_count(&tree),
                0,
                "{text}: {}",
                tree.root_node().to_sexp()
            );
            let declaration = tree.root_node().named_child(0).unwrap();
            assert_eq!(declaration.kind(), "declaration", "{text}");
            assert_eq!(
                thread_storage(declaration, text.as_bytes()),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn counts_error_nodes() {
        let mut parser = new_parser();
        let good = parse(&mut parser, b"int x;\n").unwrap();
        assert_eq!(error_count(&good), 0);
        let bad = parse(&mut parser, b"int x = ;\nint f( {\n").unwrap();
        assert!(error_count(&bad) > 0);
        // A MISSING node whose ancestors report no error still counts.
        let missing = parse(&mut parser, b"#include\nstatic int *x;\n").unwrap();
        assert_eq!(error_count(&missing), 1);
    }

    /// The rewriter's own declarations are counted (a fix may not make a
    /// file worse) but not reported: a fixed file is not "broken".
    #[test]
    fn runtime_declarations_are_not_reported_errors() {
        let source = b"static struct s *t = NULL;\n\
                       Py_ONCEVAR_DECLARE(PyObject *, a);\n\
                       void f(void) {\n    Py_ONCEVAR_DECLARE_BORROWED(PyTypeObject *, b);\n}\n";
        let tree = parse(&mut new_parser(), source).unwrap();
        let found = errors(&tree, source);
        assert!(found.count > 0, "tree-sitter cannot parse the macro");
        assert_eq!((found.reported, found.first), (0, None));

        // After other code on its line, as the rewriter leaves it.
        let source = b"void f(void) {\n}Py_ONCEVAR_DECLARE(PyObject *, a); int b;\n";
        let tree = parse(&mut new_parser(), source).unwrap();
        let found = errors(&tree, source);
        assert!(found.count > 0, "tree-sitter cannot parse the macro");
        assert_eq!((found.reported, found.first), (0, None));

        let source = b"Py_ONCEVAR_DECLARE(PyObject *, a);\nint g(void) { return 1 +; }\n";
        let tree = parse(&mut new_parser(), source).unwrap();
        let found = errors(&tree, source);
        assert_eq!(found.reported, 1);
        let (span, what) = found.first.unwrap();
        assert_eq!((span.start, what.as_str()), (59, "missing `identifier`"));
    }
}
