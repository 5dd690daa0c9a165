//! A text with parse errors, parsed once, so that each of many small
//! edits of it is parsed again only around the edit: tree-sitter's
//! incremental parse from the first tree, told of the edit. Checking each
//! safe fix of a broken file with a whole parse cost one parse per fix (a
//! broken file with 1,000 lazy sites: 92 s).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use tree_sitter::{InputEdit, Node, Parser, Point, Tree};

use super::{
    brace_alias, directive_keyword, directives_in_initializers, function_macro_uses,
    parse_on_stack_with, read_text, statement_alias, ErrorCount, HasNodeId, NodeId,
    RuntimeDeclarations, BRACE_MACROS, MEMBER_MACROS, STATEMENT_MACROS, THREAD_LOCAL_C11,
};
use crate::diagnostic::Span;
use crate::scan::lexer::{Lexer, Token};

/// How far a look at the text around an edit goes (to the blanks' end, a
/// line's start or end, the next `;`) before it gives up and answers
/// "cannot tell here": a hostile text's 1 MB line or run of blanks is not
/// read again per edit.
const LOOK: usize = 4096;

/// A text with parse errors and its first tree, for
/// [`BrokenText::counts_after`].
pub struct BrokenText<'b> {
    /// The text.
    bytes: &'b [u8],
    /// What tree-sitter read for it (see [`super::parse`]): as long as
    /// `bytes`.
    read: Vec<u8>,
    /// The tree of `read`.
    tree: Tree,
    /// Offsets of each `\n` in `read`, ascending: rows and columns.
    breaks: Vec<usize>,
    /// The brace depth at the start of each line of `read`: a line
    /// inside braces is never taken for a macro's invocation.
    depths: Vec<usize>,
    /// The errors of `tree`.
    counts: ErrorCount,
    /// Where the runtime's declarations may stand in `bytes`.
    declarations: RuntimeDeclarations,
    /// Byte ranges of `bytes` that an edit beside may make read
    /// differently: where `read` differs from `bytes` (a lone CR), and each
    /// use of a name that the reading rewrites in some contexts
    /// (`PyObject_HEAD`, `Py_BEGIN_ALLOW_THREADS`, the text's own aliases
    /// of those…). Sorted by start; `longest` is the longest.
    touchy: Vec<Range<usize>>,
    /// The length of the longest range in `touchy`.
    longest: usize,
    /// The names the text defines as aliases of a block or statement
    /// macro.
    aliases: Vec<Vec<u8>>,
    /// The byte ranges of the root's children that have errors, in
    /// order: the root counts as an error of its own only when none has.
    error_children: Vec<Range<usize>>,
}

/// One edit of the text: the bytes replaced and the bytes put there.
pub type TextEdit<'e> = (Range<usize>, &'e [u8]);

/// How many parses [`BrokenText::unchanged_together`] may spend on one
/// text, each linear in it: the fixes it has not told by then are told
/// one by one.
const BISECTIONS: usize = 40;

/// A batch of edits for [`BrokenText::unchanged_together`]: the edits
/// (sorted, disjoint, none touching another) and, for each, the fixes
/// that hold it.
type Batch = (Vec<(Range<usize>, Vec<u8>)>, Vec<Vec<usize>>);

/// An ERROR or MISSING node (or one that hides an error), as two trees'
/// errors are compared: its byte range and its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ErrorKey {
    /// Where it starts.
    start: usize,
    /// Where it ends.
    end: usize,
    /// Its kind (the missing symbol's for a MISSING node).
    kind: u16,
    /// Whether it is MISSING.
    missing: bool,
}

/// The edits of `fixes[i]` for each `i` of `group`, sorted, each edit the
/// same in several fixes once, and edits that touch made one (each
/// inert, as `inert` says): the edits and, for each, the fixes that hold
/// it. `Err` with the fixes to leave out: those whose edits overlap or
/// are inserted at one place (their order would be a guess), or that
/// hold an edit made of touching ones that is not inert.
fn batch_of(
    fixes: &[&[TextEdit]],
    group: &[usize],
    inert: &mut impl FnMut(&Range<usize>, &[u8]) -> bool,
) -> Result<Batch, HashSet<usize>> {
    let mut all: Vec<(&Range<usize>, &[u8], usize)> = group
        .iter()
        .flat_map(|&i| fixes[i].iter().map(move |(r, t)| (r, *t, i)))
        .collect();
    all.sort_unstable_by(|a, b| {
        (a.0.start, a.0.end, a.1, a.2).cmp(&(b.0.start, b.0.end, b.1, b.2))
    });
    // Each distinct edit once, with its fixes.
    let mut distinct: Vec<(Range<usize>, &[u8], Vec<usize>)> = Vec::new();
    for (range, text, fix) in all {
        match distinct.last_mut() {
            Some((r, t, owners)) if r == range && *t == text => {
                if owners.last() != Some(&fix) {
                    owners.push(fix);
                }
            }
            _ => distinct.push((range.clone(), text, vec![fix])),
        }
    }
    let mut rejected: HashSet<usize> = HashSet::new();
    let mut reach: Option<usize> = None;
    for (k, (range, _, owners)) in distinct.iter().enumerate() {
        let clash = |j: usize| {
            let (other, _, _) = &distinct[j];
            other.end > range.start
                || (other.is_empty() && range.is_empty() && other.start == range.start)
        };
        let mut against = reach.filter(|&j| clash(j));
        if against.is_none() && k > 0 && clash(k - 1) {
            against = Some(k - 1);
        }
        if let Some(j) = against {
            rejected.extend(owners.iter().chain(&distinct[j].2));
        }
        if reach.is_none_or(|j| distinct[j].0.end < range.end) {
            reach = Some(k);
        }
    }
    if !rejected.is_empty() {
        return Err(rejected);
    }
    let mut edits: Vec<(Range<usize>, Vec<u8>)> = Vec::with_capacity(distinct.len());
    let mut owners: Vec<Vec<usize>> = Vec::with_capacity(distinct.len());
    let mut parts: Vec<usize> = Vec::with_capacity(distinct.len());
    for (range, text, fixes) in distinct {
        match (edits.last_mut(), owners.last_mut(), parts.last_mut()) {
            (Some((last, joined)), Some(held), Some(n)) if last.end == range.start => {
                last.end = range.end;
                joined.extend_from_slice(text);
                held.extend(fixes);
                *n += 1;
            }
            _ => {
                edits.push((range, text.to_vec()));
                owners.push(fixes);
                parts.push(1);
            }
        }
    }
    for ((range, text), (held, n)) in edits.iter().zip(owners.iter().zip(&parts)) {
        if *n > 1 && !inert(range, text) {
            rejected.extend(held);
        }
    }
    if !rejected.is_empty() {
        return Err(rejected);
    }
    Ok((edits, owners))
}

impl<'b> BrokenText<'b> {
    /// The text `bytes` with `tree`, what [`super::parse`] gave for it (the
    /// analysis's tree, not parsed again), and `before`, its errors
    /// ([`ErrorCount::of`]). `None` when the text parses cleanly, or when
    /// its parse takes one of [`super::parse`]'s repairs (the repaired
    /// parse of an edited text could not be told from the first tree);
    /// otherwise `tree` is the first parse of the text tree-sitter reads.
    pub fn new(tree: &Tree, bytes: &'b [u8], before: ErrorCount) -> Option<Self> {
        let read = read_text(bytes).into_owned();
        if !tree.root_node().has_error()
            || !directives_in_initializers(&read).is_empty()
            || !function_macro_uses(&read).is_empty()
        {
            return None;
        }
        let tree = tree.clone();
        let counts = before;
        let mut touchy: Vec<Range<usize>> = Vec::new();
        let mut differs = bytes
            .iter()
            .zip(&read)
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, _)| i)
            .peekable();
        while let Some(start) = differs.next() {
            let mut end = start + 1;
            while differs.peek() == Some(&end) {
                differs.next();
                end += 1;
            }
            touchy.push(start..end);
        }
        let aliases = touchy_names(bytes);
        for name in aliases
            .iter()
            .map(Vec::as_slice)
            .chain(MEMBER_MACROS.iter().copied())
            .chain(STATEMENT_MACROS.iter().copied())
            .chain(BRACE_MACROS.iter().map(|m| m.0))
        {
            touchy.extend(memchr::memmem::find_iter(bytes, name).map(|at| at..at + name.len()));
        }
        touchy.sort_unstable_by_key(|r| r.start);
        let longest = touchy.iter().map(|r| r.len()).max().unwrap_or(0);
        let breaks = memchr::memchr_iter(b'\n', &read).collect();
        let root = tree.root_node();
        let error_children = root
            .children(&mut root.walk())
            .filter(|c| c.has_error())
            .map(|c| c.byte_range())
            .collect();
        Some(BrokenText {
            depths: super::line_depths(&read),
            aliases,
            error_children,
            declarations: RuntimeDeclarations::of(bytes),
            bytes,
            read,
            tree,
            breaks,
            counts,
            touchy,
            longest,
        })
    }

    /// The errors of the text with `edits` applied (sorted, disjoint, as
    /// the fix applier takes them), counted as
    /// [`ErrorCount::of`] a whole parse of it would count them: the text
    /// is parsed again from the first tree around the edits, and the
    /// errors are counted where the two trees differ (the rest are the
    /// same errors, on the same lines).
    ///
    /// `None` when that cannot be told here, and a whole parse must say:
    /// an edit that overlaps another, that touches a part the reading
    /// rewrites (a CR, `PyObject_HEAD`, a comment in a `#define`, a
    /// block macro…), that adds a directive other than an `#include`
    /// line, a comment, a `\`, an unbalanced brace or a line that looks
    /// like a macro's invocation, that takes out a line break, that glues
    /// two words, or a parse that fails.
    pub fn counts_after(&self, parser: &mut Parser, edits: &[TextEdit]) -> Option<ErrorCount> {
        let edits = self.joined(edits)?;
        for (range, replacement) in &edits {
            self.inert(range, replacement)?;
        }
        let patched = Patched::new(&self.read, &edits);
        let (edited, tree) = self.reparsed(parser, &patched, &edits)?;
        // Where the trees differ, and the edits themselves, each to whole
        // lines (a line's errors are reported or not by what else stands on
        // it), a byte wider (an empty MISSING node at a range's end).
        let mut windows: Vec<Range<usize>> = edited
            .changed_ranges(&tree)
            .map(|r| r.start_byte..r.end_byte)
            .chain(patched.spans())
            .collect();
        windows.sort_unstable_by_key(|w| w.start);
        let mut lines: Vec<Range<usize>> = Vec::with_capacity(windows.len());
        for window in windows {
            let start = patched.line_start(window.start.saturating_sub(1))?;
            let end = patched.line_end(window.end + 1)?;
            let start = self.statement_start(&patched, start);
            match lines.last_mut() {
                Some(last) if start <= last.end => last.end = last.end.max(end),
                _ => lines.push(start..end),
            }
        }
        let old: Vec<Range<usize>> = lines.iter().map(|w| patched.old_range(w)).collect();
        let (before, _) =
            count_within(&self.tree, &old, |span| Some(self.declarations.hold(span)))?;
        let mut budget = 16 * LOOK;
        let (after, child_error) =
            count_within(&tree, &lines, |span| patched.holds(span, &mut budget))?;
        let mut counts = ErrorCount {
            count: self.counts.count - before.count + after.count,
            reported: self.counts.reported - before.reported + after.reported,
        };
        // The root: an error of its own when none of its children has one,
        // those outside the windows being the first tree's.
        let whole = |len| Span { start: 0, end: len };
        if root_error(&self.tree) {
            counts.count -= 1;
            counts.reported -= usize::from(!self.declarations.hold(whole(self.bytes.len())));
        }
        // The first tree's children with errors that some window holds,
        // each once (both lists are in order).
        let (mut inside, mut upto) = (0, 0);
        for w in &old {
            let from = self
                .error_children
                .partition_point(|c| c.end < w.start)
                .max(upto);
            let to = self.error_children.partition_point(|c| c.start <= w.end);
            inside += to.saturating_sub(from);
            upto = upto.max(to);
        }
        if tree.root_node().has_error() && !child_error && inside == self.error_children.len() {
            counts.count += 1;
            counts.reported += usize::from(!patched.holds(whole(patched.len), &mut budget)?);
        }
        Some(counts)
    }

    /// For each of `fixes` (each a fix's edits, sorted and disjoint, as
    /// [`BrokenText::counts_after`] takes them): `true` when the text with
    /// that fix alone would have the errors it has, told from one parse of
    /// the text with all of them applied, parsed again from the first tree
    /// (a parse per fix is linear in the text's top-level items, so
    /// quadratic over a file's fixes: a broken file with 4,000 sites took
    /// 84 s). With `reported`, the errors compared are those outside the
    /// runtime's declarations ([`ErrorCount::reported`]), else all of them
    /// ([`ErrorCount::count`]).
    ///
    /// The errors of the two trees are compared where the text changed:
    /// each edit's span and each range where the trees differ, joined where
    /// they touch, make regions, and a fix is `true` when no region holding
    /// one of its edits holds an error that is not in both trees (at the
    /// same place, of the same kind). A region shared by fixes whose
    /// errors differ is judged again with those fixes only, in halves, up
    /// to 40 parses (`BISECTIONS`): the fix that changes the reading is found
    /// without a parse per fix.
    ///
    /// `false` (ask [`BrokenText::counts_after`] or a whole parse) for a
    /// fix whose errors may change, that `counts_after` would not tell (an
    /// edit that is not inert), whose edits overlap another fix's (an edit
    /// the same in two fixes is made once), and for every fix of a parse
    /// where an error that differs lies outside every region, where the
    /// root's own error is in question, or that fails.
    pub fn unchanged_together(
        &self,
        parser: &mut Parser,
        fixes: &[&[TextEdit]],
        reported: bool,
    ) -> Vec<bool> {
        let mut ok = vec![false; fixes.len()];
        let mut inert: HashMap<(Range<usize>, Vec<u8>), bool> = HashMap::new();
        let mut inert_edit = |range: &Range<usize>, text: &[u8]| {
            *inert
                .entry((range.clone(), text.to_vec()))
                .or_insert_with(|| self.inert(range, text).is_some())
        };
        let candidates: Vec<usize> = (0..fixes.len())
            .filter(|&i| {
                self.joined(fixes[i])
                    .is_some_and(|edits| edits.iter().all(|(r, t)| inert_edit(r, t)))
            })
            .collect();
        let old = self.error_keys(&self.tree, reported.then_some(&self.declarations));
        let mut pending = vec![candidates];
        let mut parses = 0;
        while let Some(mut group) = pending.pop() {
            if group.is_empty() {
                continue;
            }
            if parses == BISECTIONS {
                break;
            }
            parses += 1;
            let batch = loop {
                match batch_of(fixes, &group, &mut inert_edit) {
                    Ok(batch) => break Some(batch),
                    Err(rejected) if rejected.len() < group.len() => {
                        group.retain(|i| !rejected.contains(i));
                    }
                    Err(_) => break None,
                }
            };
            let Some(batch) = batch else {
                continue;
            };
            let Some(changed) = self.changed_regions(parser, &batch, fixes.len(), &old, reported)
            else {
                // Cannot be told from this parse: a fix alone may still be.
                if group.len() > 1 {
                    let half = group.split_off(group.len() / 2);
                    pending.extend([group, half]);
                }
                continue;
            };
            let suspects: Vec<usize> = group.iter().copied().filter(|&i| changed[i]).collect();
            for &i in &group {
                ok[i] = !changed[i];
            }
            if suspects.len() > 1 {
                let mut suspects = suspects;
                if suspects.len() == group.len() {
                    let half = suspects.split_off(suspects.len() / 2);
                    pending.push(half);
                }
                pending.push(suspects);
            }
        }
        ok
    }

    /// The regions of the text with `edits` (sorted, disjoint, not
    /// touching; `owners[k]` the fixes that hold edit `k`) applied that
    /// hold an error not in both trees, as a mark per fix holding an edit
    /// there (`fixes` marks, indexed as the owners).
    /// `old` is [`BrokenText::error_keys`] of the first tree. `None` when
    /// an error that differs lies in no region, the root's own error is in
    /// question, or the parse fails.
    fn changed_regions(
        &self,
        parser: &mut Parser,
        (edits, owners): &Batch,
        fixes: usize,
        old: &[ErrorKey],
        reported: bool,
    ) -> Option<Vec<bool>> {
        let patched = Patched::new(&self.read, edits);
        let (edited, tree) = self.reparsed(parser, &patched, edits)?;
        if root_error(&self.tree) || root_error(&tree) {
            return None;
        }
        // Regions: each edit's span and each changed range, joined where
        // they overlap or touch; `region_of[k]` is edit k's.
        let mut spans: Vec<(Range<usize>, Option<usize>)> = edited
            .changed_ranges(&tree)
            .map(|r| (r.start_byte..r.end_byte, None))
            .chain(patched.spans().enumerate().map(|(k, s)| (s, Some(k))))
            .collect();
        spans.sort_unstable_by_key(|s| s.0.start);
        let mut regions: Vec<Range<usize>> = Vec::new();
        let mut region_of = vec![0; edits.len()];
        for (span, edit) in spans {
            match regions.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => regions.push(span),
            }
            if let Some(k) = edit {
                region_of[k] = regions.len() - 1;
            }
        }
        // The errors of the edited text, mapped in the first text's as
        // `old` (the same bytes outside the edits).
        let new_text;
        let declarations = if reported {
            new_text = applied(self.bytes, edits);
            Some(RuntimeDeclarations::of(&new_text))
        } else {
            None
        };
        let new = self.error_keys(&tree, declarations.as_ref());
        let old: Vec<ErrorKey> = old
            .iter()
            .map(|k| ErrorKey {
                start: patched.new_offset(k.start),
                end: patched.new_end(k.end),
                ..*k
            })
            .collect();
        let mut old = old;
        old.sort_unstable();
        // Each error in one tree only marks the regions it overlaps (ends
        // included: a MISSING node is empty), as a difference array.
        let mut marks = vec![0i64; regions.len() + 1];
        let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
        loop {
            let differing = match (a.peek(), b.peek()) {
                (None, None) => break,
                (Some(x), Some(y)) if x == y => {
                    a.next();
                    b.next();
                    continue;
                }
                (Some(x), Some(y)) if x < y => a.next(),
                (Some(_), None) => a.next(),
                _ => b.next(),
            };
            let Some(key) = differing else { break };
            let first = regions.partition_point(|r| r.end < key.start);
            let last = regions.partition_point(|r| r.start <= key.end);
            if first >= last {
                return None;
            }
            marks[first] += 1;
            marks[last] -= 1;
        }
        let mut changed = vec![false; fixes];
        let mut depth = 0;
        let changed_region: Vec<bool> = marks[..regions.len()]
            .iter()
            .map(|m| {
                depth += m;
                depth > 0
            })
            .collect();
        for (k, fixes) in owners.iter().enumerate() {
            if changed_region[region_of[k]] {
                for &i in fixes {
                    changed[i] = true;
                }
            }
        }
        Some(changed)
    }

    /// The first tree edited by `edits` and the tree of `patched`, the
    /// reading with them, parsed from it; `None` when the parse fails.
    fn reparsed(
        &self,
        parser: &mut Parser,
        patched: &Patched,
        edits: &[(Range<usize>, Vec<u8>)],
    ) -> Option<(Tree, Tree)> {
        let mut edited = self.tree.clone();
        // Last first: each in the coordinates of a text whose earlier
        // bytes are still the first text's.
        for (range, replacement) in edits.iter().rev() {
            let start_position = self.point(range.start);
            edited.edit(&InputEdit {
                start_byte: range.start,
                old_end_byte: range.end,
                new_end_byte: range.start + replacement.len(),
                start_position,
                old_end_position: self.point(range.end),
                new_end_position: super::start_position_after(start_position, replacement),
            });
        }
        let tree = parse_on_stack_with(
            parser,
            patched.len,
            &mut |i| patched.chunk(i),
            Some(&edited),
        )
        .ok()?;
        Some((edited, tree))
    }

    /// The errors of `tree` below its root, as [`super::for_each_error`]
    /// finds them, sorted; with `declarations` (of the tree's text), only
    /// those outside the runtime's declarations.
    fn error_keys(&self, tree: &Tree, declarations: Option<&RuntimeDeclarations>) -> Vec<ErrorKey> {
        let root = tree.root_node();
        let mut keys = Vec::new();
        super::for_each_error(tree, |node| {
            if node != root && declarations.is_none_or(|d| !d.hold(Span::of(node))) {
                keys.push(ErrorKey {
                    start: node.start_byte(),
                    end: node.end_byte(),
                    kind: node.kind_id(),
                    missing: node.is_missing(),
                });
            }
        });
        keys.sort_unstable();
        keys
    }

    /// `edits` with each run of edits that touch (one ends where the
    /// next starts) made one; `None` when two overlap or one lies outside
    /// the text.
    fn joined<'e>(&self, edits: &[TextEdit<'e>]) -> Option<Vec<(Range<usize>, Vec<u8>)>> {
        let mut out: Vec<(Range<usize>, Vec<u8>)> = Vec::with_capacity(edits.len());
        for (range, replacement) in edits {
            if range.start > range.end || range.end > self.bytes.len() {
                return None;
            }
            match out.last_mut() {
                Some((last, text)) if last.end == range.start => {
                    last.end = range.end;
                    text.extend_from_slice(replacement);
                }
                Some((last, _)) if last.end > range.start => return None,
                _ => out.push((range.clone(), replacement.to_vec())),
            }
        }
        Some(out)
    }

    /// `Some` when the text with this edit is read as the first text's
    /// reading with the edit (nothing the reading rewrites is touched or
    /// made) and its repairs still find nothing to repair.
    fn inert(&self, range: &Range<usize>, replacement: &[u8]) -> Option<()> {
        let bytes = self.bytes;
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let removed = &bytes[range.clone()];
        // Nothing the reading rewrites, no comment, continuation or line
        // of its own, braces balanced (so every brace and directive
        // outside keeps its depth).
        // A CR only before an LF of the same text (the line ends of a
        // CRLF file, which the reading keeps; a lone CR it reads as LF).
        let plain = |text: &[u8]| {
            text.iter().enumerate().all(|(i, &b)| {
                (b.is_ascii_graphic()
                    || b == b' '
                    || b == b'\t'
                    || b == b'\n'
                    || (b == b'\r' && text.get(i + 1) == Some(&b'\n')))
                    && !matches!(b, b'/' | b'\\')
            })
        };
        let balanced = |text: &[u8]| {
            let mut depth = 0i64;
            text.iter().all(|&b| {
                depth += match b {
                    b'{' => 1,
                    b'}' => -1,
                    _ => 0,
                };
                depth >= 0
            }) && depth == 0
        };
        if !plain(replacement) || !plain(removed) || removed.contains(&b'\n') {
            return None;
        }
        if !balanced(replacement) || !balanced(removed) {
            return None;
        }
        if self
            .aliases
            .iter()
            .map(Vec::as_slice)
            .chain(MEMBER_MACROS.iter().copied())
            .chain(STATEMENT_MACROS.iter().copied())
            .chain(BRACE_MACROS.iter().map(|m| m.0))
            .any(|name| memchr::memmem::find(replacement, name).is_some())
            || memchr::memmem::find(replacement, THREAD_LOCAL_C11).is_some()
        {
            return None;
        }
        // A `#` only to start an `#include` line inserted at a line's
        // start (what the rewriter adds); no line added, nor the lines
        // beside them, an invocation that the reading might take as a
        // macro of its own.
        let at_line_start = range.start == 0 || bytes[range.start - 1] == b'\n';
        let row = self.row(range.start);
        for (i, line) in replacement.split_inclusive(|&b| b == b'\n').enumerate() {
            let whole = line.ends_with(b"\n");
            if !line.contains(&b'#') {
                if whole && self.invoked(row, line) {
                    return None;
                }
                continue;
            }
            let directive = line.trim_ascii_start();
            let include = (i > 0 || at_line_start)
                && whole
                && directive.starts_with(b"#")
                && directive_keyword(directive) == b"include";
            if !include {
                return None;
            }
        }
        if replacement.contains(&b'\n') {
            let next = &bytes[range.end..];
            let next_line = &next[..memchr::memchr(b'\n', next).unwrap_or(next.len())];
            let previous = bytes[..range.start].trim_ascii_end();
            let previous_line = &previous[memchr::memrchr(b'\n', previous).map_or(0, |i| i + 1)..];
            let previous_row = self.row(previous.len() - previous_line.len());
            if self.invoked(self.row(range.end), next_line)
                || self.invoked(previous_row, previous_line)
            {
                return None;
            }
        }
        // No word glued to another, and nothing touchy from the blanks
        // before the edit to the blanks after it.
        let before = bytes[..range.start].last().copied();
        let after = bytes.get(range.end).copied();
        let (first, last) = (replacement.first().copied(), replacement.last().copied());
        let glued = |a: Option<u8>, b: Option<u8>| a.is_some_and(is_word) && b.is_some_and(is_word);
        // (Nor a CR that a CRLF or a lone CR would no longer follow.)
        if glued(before, first.or(after)) || glued(last.or(before), after) || before == Some(b'\r')
        {
            return None;
        }
        let from = range.start
            - bytes[range.start.saturating_sub(LOOK)..range.start]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        let blanks_after = bytes[range.end..]
            .iter()
            .take(LOOK)
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        if from + LOOK <= range.start || blanks_after == LOOK {
            return None;
        }
        let to = range.end + blanks_after;
        // An edit before a `{` may change whether it opens an initializer.
        if bytes.get(to) == Some(&b'{') {
            return None;
        }
        let reach = from.saturating_sub(1).saturating_sub(self.longest);
        let first_near = self.touchy.partition_point(|r| r.start < reach);
        if self.touchy[first_near..]
            .iter()
            .take_while(|r| r.start <= to + 1)
            .any(|r| r.end + 1 >= from)
        {
            return None;
        }
        // The edited line is no lone macro invocation either.
        let window = range.start.saturating_sub(LOOK)..(range.end + LOOK).min(bytes.len());
        let line_from = match memchr::memrchr(b'\n', &bytes[window.start..range.start]) {
            Some(i) => window.start + i + 1,
            None if window.start == 0 => 0,
            None => return None,
        };
        let line_to = match memchr::memchr(b'\n', &bytes[range.end..window.end]) {
            Some(i) => range.end + i,
            None if window.end == bytes.len() => bytes.len(),
            None => return None,
        };
        let edited_line = [
            &bytes[line_from..range.start],
            replacement,
            &bytes[range.end..line_to],
        ]
        .concat();
        if edited_line
            .split(|&b| b == b'\n')
            .any(|line| self.invoked(row, line))
        {
            return None;
        }
        Some(())
    }

    /// The row of `offset` in the reading (0-based).
    fn row(&self, offset: usize) -> usize {
        self.breaks.partition_point(|&b| b < offset)
    }

    /// Whether `line`, the text of row `row` (perhaps edited), may be
    /// taken for a macro's invocation ([`looks_invoked`] at file scope).
    fn invoked(&self, row: usize, line: &[u8]) -> bool {
        self.depths.get(row).is_none_or(|&d| d == 0) && looks_invoked(line)
    }

    /// The row and column of `offset` in the reading.
    fn point(&self, offset: usize) -> Point {
        let row = self.row(offset);
        let line_start = row.checked_sub(1).map_or(0, |i| self.breaks[i] + 1);
        Point {
            row,
            column: offset - line_start,
        }
    }

    /// `start` (a line start of the edited text), or the start of an
    /// earlier line of the first text holding a `Py_ONCEVAR_DECLARE`
    /// whose statement runs on to `start` (no `;` between): its errors
    /// are reported or not by where the first `;` after it stands.
    fn statement_start(&self, patched: &Patched, start: usize) -> usize {
        let old = patched.old_range(&(start..start)).start;
        let declarations = &self.declarations;
        let semicolon = declarations.semicolons.partition_point(|&s| s < old);
        let after = semicolon
            .checked_sub(1)
            .map_or(0, |i| declarations.semicolons[i] + 1);
        let first = declarations.names.partition_point(|&n| n < after);
        match declarations.names.get(first) {
            Some(&name) if name < old => {
                let line = declarations.breaks.partition_point(|&b| b < name);
                let line_start = line
                    .checked_sub(1)
                    .map_or(0, |i| declarations.breaks[i] + 1);
                patched.new_offset(line_start)
            }
            _ => start,
        }
    }
}

/// Whether `line` holds nothing but `NAME (…)` and perhaps a comment: what
/// [`function_macro_uses`] may take for a macro's invocation.
fn looks_invoked(line: &[u8]) -> bool {
    let text = line.trim_ascii();
    let word = text
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    if word == 0 || text[0].is_ascii_digit() {
        return false;
    }
    let rest = text[word..].trim_ascii_start();
    if rest.first() != Some(&b'(') {
        return false;
    }
    let Some(close) = memchr::memrchr(b')', rest) else {
        return true;
    };
    let tail = rest[close + 1..].trim_ascii_start();
    tail.is_empty() || tail.starts_with(b"//") || tail.starts_with(b"/*")
}

/// The names `bytes` defines as aliases of a block or statement macro
/// (`#define ENTER Py_BEGIN_ALLOW_THREADS`): the reading rewrites their
/// uses in some contexts, as it does the C API's own.
fn touchy_names(bytes: &[u8]) -> Vec<Vec<u8>> {
    if memchr::memmem::find(bytes, b"define").is_none() {
        return Vec::new();
    }
    let mut braces: Vec<(&[u8], u8, bool)> = Vec::new();
    let mut statements: Vec<&[u8]> = Vec::new();
    let mut lexer = Lexer::at(bytes, 0);
    while let Some(token) = lexer.next_token(false) {
        if let Token::Directive(text) = token {
            if let Some(alias) = brace_alias(text, &braces) {
                braces.push(alias);
            }
            if let Some(alias) = statement_alias(text, &statements) {
                statements.push(alias);
            }
        }
    }
    braces
        .iter()
        .map(|b| b.0.to_vec())
        .chain(statements.iter().map(|s| s.to_vec()))
        .collect()
}

/// A text given as the first reading with edits applied, in chunks, as
/// tree-sitter reads its input: no copy of the whole text per edit.
struct Patched<'t> {
    /// The pieces, each with its offset in the edited text, in order.
    pieces: Vec<(usize, &'t [u8])>,
    /// For each edit: its range in the first text and in the edited one.
    edits: Vec<(Range<usize>, Range<usize>)>,
    /// The edited text's length.
    len: usize,
}

impl<'t> Patched<'t> {
    fn new(base: &'t [u8], edits: &'t [(Range<usize>, Vec<u8>)]) -> Self {
        let mut pieces = Vec::with_capacity(2 * edits.len() + 1);
        let mut spans = Vec::with_capacity(edits.len());
        let (mut at, mut len) = (0, 0);
        for (range, replacement) in edits {
            pieces.push((len, &base[at..range.start]));
            len += range.start - at;
            pieces.push((len, &replacement[..]));
            spans.push((range.clone(), len..len + replacement.len()));
            len += replacement.len();
            at = range.end;
        }
        pieces.push((len, &base[at..]));
        len += base.len() - at;
        pieces.retain(|p| !p.1.is_empty());
        Patched {
            pieces,
            edits: spans,
            len,
        }
    }

    /// The text from `at` to the end of its piece (empty past the end).
    fn chunk(&self, at: usize) -> &'t [u8] {
        let i = self.pieces.partition_point(|p| p.0 <= at);
        i.checked_sub(1)
            .map(|i| self.pieces[i])
            .and_then(|(start, piece)| piece.get(at - start..))
            .unwrap_or_default()
    }

    /// The byte at `at`.
    fn byte(&self, at: usize) -> Option<u8> {
        self.chunk(at).first().copied()
    }

    /// The edits' ranges in the edited text.
    fn spans(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.edits.iter().map(|e| e.1.clone())
    }

    /// The start of the line holding `at` (after LF or CR); `None` past
    /// [`LOOK`] bytes.
    fn line_start(&self, at: usize) -> Option<usize> {
        let mut i = at.min(self.len);
        let stop = i.saturating_sub(LOOK);
        while i > 0 && !matches!(self.byte(i - 1), Some(b'\n' | b'\r')) {
            i -= 1;
            if i < stop && i > 0 {
                return None;
            }
        }
        Some(i)
    }

    /// The end of the line holding `at` (its LF or CR, or the text's
    /// end); `None` past [`LOOK`] bytes.
    fn line_end(&self, at: usize) -> Option<usize> {
        let mut i = at.min(self.len);
        let stop = i + LOOK;
        while i < self.len && !matches!(self.byte(i), Some(b'\n' | b'\r')) {
            i += 1;
            if i > stop {
                return None;
            }
        }
        Some(i)
    }

    /// `range` of the edited text in the first text: an end inside an
    /// edit moved to the edit's ends.
    fn old_range(&self, range: &Range<usize>) -> Range<usize> {
        let map = |at: usize, start: bool| {
            let i = self.edits.partition_point(|e| e.1.start <= at);
            let Some((old, new)) = i.checked_sub(1).map(|i| &self.edits[i]) else {
                return at;
            };
            if at < new.end || (at == new.end && start && new.start < new.end) {
                if start {
                    old.start
                } else {
                    old.end
                }
            } else {
                old.end + (at - new.end)
            }
        };
        map(range.start, true)..map(range.end, false).max(map(range.start, true))
    }

    /// `at`, where something of the first text ends, in the edited text:
    /// an end inside an edit, or at its end, gives the edit's end; at an
    /// insertion, the insertion's start.
    fn new_end(&self, at: usize) -> usize {
        let i = self.edits.partition_point(|e| e.0.start < at);
        let Some((old, new)) = i.checked_sub(1).map(|i| &self.edits[i]) else {
            return at;
        };
        if at <= old.end {
            new.end
        } else {
            new.end + (at - old.end)
        }
    }

    /// `at` of the first text (outside the edits) in the edited text; an
    /// offset inside an edit gives the edit's start.
    fn new_offset(&self, at: usize) -> usize {
        let i = self.edits.partition_point(|e| e.0.start <= at);
        let Some((old, new)) = i.checked_sub(1).map(|i| &self.edits[i]) else {
            return at;
        };
        if at < old.end {
            new.start
        } else {
            new.end + (at - old.end)
        }
    }

    /// [`RuntimeDeclarations::hold`] in the edited text, reading it around
    /// `span` only; `None` once `budget` bytes have been read.
    fn holds(&self, span: Span, budget: &mut usize) -> Option<bool> {
        const NAME: &[u8] = RuntimeDeclarations::NAME;
        let is_word = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
        let start = span.start.min(self.len);
        let line_start = self.line_start(start)?;
        let mut spend = |n: usize| {
            *budget = budget.checked_sub(n)?;
            Some(())
        };
        spend(start - line_start)?;
        let matches = |at: usize| (0..NAME.len()).all(|k| self.byte(at + k) == Some(NAME[k]));
        let Some(name) = (line_start..=start)
            .rev()
            .find(|&at| matches(at) && (at == 0 || !is_word(self.byte(at - 1))))
        else {
            return Some(false);
        };
        let mut at = name;
        loop {
            match self.byte(at) {
                None => return Some(false),
                Some(b';') => return Some(span.end <= at + 1),
                Some(_) => {}
            }
            at += 1;
            spend(1)?;
        }
    }
}

/// `base` with `edits` (sorted, disjoint) made.
fn applied<T: AsRef<[u8]>>(base: &[u8], edits: &[(Range<usize>, T)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(base.len());
    let mut at = 0;
    for (range, text) in edits {
        out.extend_from_slice(&base[at..range.start]);
        out.extend_from_slice(text.as_ref());
        at = range.end;
    }
    out.extend_from_slice(&base[at..]);
    out
}

/// The ERROR and MISSING nodes of `tree` below its root that overlap one
/// of `windows` (sorted, disjoint), counted as [`super::for_each_error`]
/// counts them: all, and those `hold` does not place in a runtime
/// declaration; and whether a child of the root in a window has an error.
/// `None` when `hold` cannot tell.
fn count_within(
    tree: &Tree,
    windows: &[Range<usize>],
    mut hold: impl FnMut(Span) -> Option<bool>,
) -> Option<(ErrorCount, bool)> {
    let root = tree.root_node();
    let mut counted: HashSet<NodeId> = HashSet::new();
    let mut counts = ErrorCount::default();
    let mut child_error = false;
    if !root.has_error() {
        return Some((counts, false));
    }
    for window in windows {
        let mut stack: Vec<Node> = vec![root];
        while let Some(node) = stack.pop() {
            if node != root {
                let hidden_error =
                    || node.has_error() && !node.children(&mut node.walk()).any(|c| c.has_error());
                if (node.is_error() || node.is_missing() || hidden_error())
                    && counted.insert(node.node_id())
                {
                    counts.count += 1;
                    if !hold(Span::of(node))? {
                        counts.reported += 1;
                    }
                }
                if !node.has_error() {
                    continue;
                }
            }
            let mut cursor = node.walk();
            if cursor.goto_first_child_for_byte(window.start).is_none() {
                continue;
            }
            let first = stack.len();
            loop {
                let child = cursor.node();
                if child.start_byte() > window.end {
                    break;
                }
                if child.end_byte() >= window.start
                    && (child.has_error() || child.is_error() || child.is_missing())
                {
                    child_error |= node == root;
                    stack.push(child);
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
            stack[first..].reverse();
        }
    }
    Some((counts, child_error))
}

/// Whether the root of `tree` counts as an error of its own in
/// [`super::for_each_error`]: it has one, and none of its children does.
fn root_error(tree: &Tree) -> bool {
    let root = tree.root_node();
    root.has_error() && !root.children(&mut root.walk()).any(|c| c.has_error())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::parse::{errors, new_parser, parse, FRESH_BYTES};

    /// The counts of a whole parse of `text` with `edits` applied.
    fn whole(parser: &mut Parser, text: &[u8], edits: &[TextEdit]) -> ErrorCount {
        let out = applied(text, edits);
        let tree = parse(parser, &out).unwrap();
        errors(&tree, &out).counts()
    }

    /// `text`, which does not parse cleanly, parsed, and its errors.
    fn broken<'t>(parser: &mut Parser, text: &'t [u8]) -> (BrokenText<'t>, ErrorCount) {
        let tree = parse(parser, text).unwrap();
        let before = errors(&tree, text).counts();
        (BrokenText::new(&tree, text, before).unwrap(), before)
    }

    /// A declaration, a stray `}`, then `n` functions `f0`… each
    /// returning its number.
    fn functions_after_a_stray_brace(n: usize) -> String {
        let mut text = String::from("#include <Python.h>\nstatic PyObject *a;\n}\n");
        for i in 0..n {
            text.push_str(&format!("static int f{i}(void) {{ return {i}; }}\n"));
        }
        text
    }

    /// Each edit of a broken text, parsed again around it, is counted as
    /// a whole parse counts it: edits that break more, one beside the
    /// error, the rewriter's own (an `#include` line and a declaration
    /// macro), and none of them parses the whole text again.
    #[test]
    fn an_edit_is_counted_as_a_whole_parse_counts_it() {
        let text = functions_after_a_stray_brace(200);
        let text = text.as_bytes();
        let mut parser = new_parser();
        let (broken, before) = broken(&mut parser, text);
        assert!(before.count > 0);
        let at = |needle: &str| memchr::memmem::find(text, needle.as_bytes()).unwrap();
        let f7 = at("return 7;");
        let stray = at("}\n");
        let declaration = at("static PyObject *a;");
        let cases: Vec<Vec<TextEdit>> = vec![
            vec![(f7..f7 + 6, b"return (".as_slice())],
            vec![(f7..f7, b"int ".as_slice())],
            vec![(stray + 2..stray + 2, b"static PyObject *b;\n".as_slice())],
            vec![
                (
                    declaration..declaration,
                    b"#include \"oncevar.h\"\n".as_slice(),
                ),
                (
                    declaration..declaration + 19,
                    b"Py_ONCEVAR_DECLARE(PyObject *, a);",
                ),
            ],
            vec![(f7 + 7..f7 + 8, b"g(a)".as_slice())],
        ];
        for edits in &cases {
            FRESH_BYTES.with(|n| n.set(0));
            let quick = broken.counts_after(&mut parser, edits).expect("told here");
            assert_eq!(FRESH_BYTES.with(std::cell::Cell::get), 0);
            assert_eq!(quick, whole(&mut parser, text, edits), "{edits:?}");
        }
    }

    /// Many fixes of a broken text told from one parse of them all: those
    /// that leave the errors as they are are told so, each as a whole
    /// parse of the text with it alone tells; one that breaks its function,
    /// one beside the error, and two that overlap are not (a parse per
    /// fix, or a whole parse, must tell them); no text is parsed whole.
    #[test]
    fn fixes_parsed_together_are_each_told_as_a_whole_parse_tells() {
        let text = functions_after_a_stray_brace(300);
        let text = text.as_bytes();
        let mut parser = new_parser();
        let (broken, before) = broken(&mut parser, text);
        let at = |needle: &str| memchr::memmem::find(text, needle.as_bytes()).unwrap();
        let include = at("static PyObject *a;");
        let mut fixes: Vec<Vec<TextEdit>> = (0..300)
            .filter(|i| i % 7 != 3)
            .map(|i| {
                let value = at(&format!("return {i};")) + 7;
                let digits = i.to_string().len();
                vec![
                    (include..include, b"#include \"oncevar.h\"\n".as_slice()),
                    (value..value + digits, b"(1 + 2)".as_slice()),
                ]
            })
            .collect();
        let f7 = at("return 7;");
        let f10 = at("return 10;");
        let stray = at("}\n");
        fixes.extend([
            vec![(f7..f7 + 6, b"return (".as_slice())],
            vec![(stray..stray + 1, b"int b;".as_slice())],
            vec![(f10..f10 + 9, b"return 11".as_slice())],
            vec![(f10 + 7..f10 + 9, b"(10)".as_slice())],
        ]);
        let refs: Vec<&[TextEdit]> = fixes.iter().map(Vec::as_slice).collect();
        FRESH_BYTES.with(|n| n.set(0));
        let told = broken.unchanged_together(&mut parser, &refs, false);
        assert_eq!(FRESH_BYTES.with(std::cell::Cell::get), 0);
        let n = told.len();
        assert!(told[..n - 4].iter().all(|&t| t), "{told:?}");
        assert_eq!(told[n - 4..], [false; 4]);
        for (edits, told) in fixes.iter().zip(&told) {
            if *told {
                assert_eq!(whole(&mut parser, text, edits), before, "{edits:?}");
            }
        }
    }

    /// What the reading rewrites is not told here: an edit after a CR
    /// (between CR and LF) or beside `PyObject_HEAD`, a comment, a
    /// `#define`, overlapping edits, a lone CR; an edit before a CRLF is,
    /// and a line ended by CRLF (every edit of a CRLF file was parsed
    /// whole: 300 sites in a broken CRLF file 5.7 s, 0.9 s with LF).
    #[test]
    fn an_edit_beside_what_the_reading_rewrites_is_left_to_a_whole_parse() {
        let text: &[u8] =
            b"typedef struct { PyObject_HEAD int x; } T;\r\nint a = 1;\r\n}\nint b = 2;\n";
        let mut parser = new_parser();
        let tree = parse(&mut parser, text).unwrap();
        let before = errors(&tree, text).counts();
        let broken = BrokenText::new(&tree, text, before).unwrap();
        let at = |needle: &[u8]| memchr::memmem::find(text, needle).unwrap();
        let head = at(b"PyObject_HEAD") + 13;
        let cr = at(b"\r\n");
        let b = at(b"b = 2");
        for edits in [
            vec![(head..head, b";".as_slice())],
            vec![(cr + 1..cr + 1, b" ".as_slice())],
            vec![(b..b, b"/* c */ ".as_slice())],
            vec![(b..b, b"x\n#define X 1\n".as_slice())],
            vec![(b..b + 1, b"c".as_slice()), (b..b + 1, b"d".as_slice())],
            vec![(b..b, b"x;\rint ".as_slice())],
        ] {
            assert!(
                broken.counts_after(&mut parser, &edits).is_none(),
                "{edits:?}"
            );
        }
        // A line of a CRLF file, its CR before its LF, is told here.
        for edits in [
            [(b..b + 1, b"c".as_slice())],
            [(cr..cr, b" ".as_slice())],
            [(cr + 2..cr + 2, b"int c = 3;\r\n".as_slice())],
        ] {
            let quick = broken.counts_after(&mut parser, &edits);
            assert_eq!(quick, Some(whole(&mut parser, text, &edits)), "{edits:?}");
        }
    }
}
