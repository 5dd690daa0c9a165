//! What a build compiles, as the compiler's own preprocessor says: the
//! output of `cc -E -dD` (run by the project stage with a trusted unit's
//! command) read for its line markers (`# 12 "file.c" 1`), which tell
//! which lines of which files produced output. A conditional group (the
//! lines between a file's `#if`, `#elif`, `#else` and `#endif`) is compiled
//! when any of its lines produced something: a token, a `#define` or
//! `#undef` (kept in place by `-dD`), or an `#include` (the marker that
//! returns from the included file names the line after it). A group whose
//! lines produce nothing is not compiled, or holds nothing the compiler
//! sees; either way no code of it is built.
//!
//! The line-marker format is GCC's ("Preprocessor Output" in the C
//! preprocessor manual), which clang writes too: a file name in quotes
//! with `\\`, `\"` and octal escapes, and flags 1 (entering an include),
//! 2 (returning to the includer), 3 (a system header), 4 (extern "C").

use std::collections::HashMap;
use std::io::BufRead;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::scan::cond::{Dead, View};
use crate::scan::index::{Index, Keyword};
use crate::scan::lexer::{Lexer, Token};

/// The lines of one file that produced preprocessor output, 1-based,
/// sorted and once each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lines(Vec<u32>);

impl Lines {
    /// Whether any line from `first` to `last` (1-based, inclusive) produced
    /// output.
    pub fn any_in(&self, first: u32, last: u32) -> bool {
        let at = self.0.partition_point(|&l| l < first);
        self.0.get(at).is_some_and(|&l| l <= last)
    }

    /// Whether nothing of the file produced output.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn insert(&mut self, line: u32) {
        // Output comes mostly in order: append, and sort once at the end.
        if self.0.last() != Some(&line) {
            self.0.push(line);
        }
    }

    fn finish(&mut self) {
        self.0.sort_unstable();
        self.0.dedup();
    }
}

/// A macro's state as the preprocessor left it at the end of the unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// The replacement text of the last `#define`, `None` after an
    /// `#undef`.
    pub value: Option<String>,
    /// Where the last `#define` or `#undef` is: the file as the marker
    /// names it (`<command-line>` for `-D`) and its 1-based line.
    pub at: (String, u32),
}

/// What one unit's preprocessor output says.
#[derive(Clone, Debug, Default)]
pub struct Compiled {
    /// The lines that produced output, by real path of the file (only the
    /// files `keep` accepted when it was read).
    pub files: HashMap<PathBuf, Lines>,
    /// The final state of the macros that `wanted` named when it was read.
    pub macros: HashMap<String, Definition>,
}

impl Compiled {
    /// Reads `cc -E -dD` output from `out`: file names in markers are
    /// resolved against `directory` (the folder the compiler ran in) and
    /// then to their real paths; lines are recorded for the files `keep`
    /// accepts (by real path), and the last `#define`/`#undef` of each name
    /// in `wanted`. Reads the whole stream, a line at a time.
    ///
    /// # Errors
    ///
    /// Those of reading `out`.
    pub fn read(
        out: &mut dyn BufRead,
        directory: &Path,
        keep: &dyn Fn(&Path) -> bool,
        wanted: &[&str],
    ) -> std::io::Result<Compiled> {
        let mut compiled = Compiled::default();
        // Marker names resolved once each: (kept real path or None).
        let mut resolved: HashMap<Vec<u8>, Option<PathBuf>> = HashMap::new();
        let mut current: Option<PathBuf> = None;
        let mut current_name = String::new();
        let mut line: u32 = 1;
        let mut text = Vec::new();
        loop {
            text.clear();
            if out.read_until(b'\n', &mut text)? == 0 {
                break;
            }
            let body = text.strip_suffix(b"\n").unwrap_or(&text);
            if let Some((number, name, flags)) = marker(body) {
                let path = resolved
                    .entry(name.clone())
                    .or_insert_with(|| {
                        let shown = Path::new(std::str::from_utf8(&name).ok()?);
                        let real = std::fs::canonicalize(directory.join(shown)).ok()?;
                        keep(&real).then_some(real)
                    })
                    .clone();
                // Returning to an includer: the line before is the #include.
                if flags.contains(&2) && number > 1 {
                    if let Some(path) = &path {
                        compiled
                            .files
                            .entry(path.clone())
                            .or_default()
                            .insert(number - 1);
                    }
                }
                if let Some(path) = &path {
                    compiled.files.entry(path.clone()).or_default();
                }
                current = path;
                current_name = String::from_utf8_lossy(&name).into_owned();
                line = number;
                continue;
            }
            if !wanted.is_empty() {
                if let Some((name, value)) = definition(body) {
                    if wanted.contains(&name.as_str()) {
                        compiled.macros.insert(
                            name,
                            Definition {
                                value,
                                at: (current_name.clone(), line),
                            },
                        );
                    }
                }
            }
            if let Some(path) = &current {
                if body.iter().any(|b| !b.is_ascii_whitespace()) {
                    if let Some(lines) = compiled.files.get_mut(path) {
                        lines.insert(line);
                    }
                }
            }
            line = line.saturating_add(1);
        }
        for lines in compiled.files.values_mut() {
            lines.finish();
        }
        Ok(compiled)
    }
}

/// A line marker `# N "name" flags...` (also `#line N "name"`): the line
/// number, the unescaped name and the flags.
fn marker(text: &[u8]) -> Option<(u32, Vec<u8>, Vec<u8>)> {
    let rest = text.strip_prefix(b"#")?;
    let rest = rest.strip_prefix(b"line").unwrap_or(rest);
    let rest = rest.trim_ascii_start();
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let number: u32 = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
    let rest = rest[digits..].trim_ascii_start().strip_prefix(b"\"")?;
    let mut name = Vec::new();
    let mut i = 0;
    loop {
        match *rest.get(i)? {
            b'"' => break,
            b'\\' => {
                let next = *rest.get(i + 1)?;
                if next.is_ascii_digit() {
                    let octal: Vec<u8> = rest[i + 1..]
                        .iter()
                        .take(3)
                        .take_while(|b| (b'0'..=b'7').contains(*b))
                        .copied()
                        .collect();
                    let value = octal.iter().fold(0u32, |v, d| v * 8 + u32::from(d - b'0'));
                    name.push(u8::try_from(value).ok()?);
                    i += 1 + octal.len();
                } else {
                    name.push(next);
                    i += 2;
                }
            }
            b => {
                name.push(b);
                i += 1;
            }
        }
    }
    let flags = rest[i + 1..]
        .split(|b| b.is_ascii_whitespace())
        .filter_map(|f| std::str::from_utf8(f).ok()?.parse().ok())
        .collect();
    Some((number, name, flags))
}

/// `#define NAME value` or `#undef NAME` as `-dD` prints them: the name and
/// the replacement (`None` for `#undef`; a function-like macro's value
/// starts with its parameter list).
fn definition(text: &[u8]) -> Option<(String, Option<String>)> {
    let rest = text.strip_prefix(b"#")?.trim_ascii_start();
    let (undef, rest) = if let Some(r) = rest.strip_prefix(b"define ") {
        (false, r)
    } else {
        (true, rest.strip_prefix(b"undef ")?)
    };
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .unwrap_or(rest.len());
    let name = std::str::from_utf8(&rest[..end]).ok()?.to_owned();
    let value = (!undef).then(|| String::from_utf8_lossy(&rest[end..]).trim().to_owned());
    Some((name, value))
}

/// One conditional group of a file: the lines between a conditional
/// directive and the next one of its chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The byte offset where the group's text starts (just past the line
    /// break that ends its directive).
    pub start: usize,
    /// One past its last byte (where the next directive of the chain
    /// starts, or the end of the file).
    pub end: usize,
    /// Its first and last line, 1-based (`first > last` for an empty one).
    pub lines: (u32, u32),
    /// The directive that opens it, as written (`#ifdef _MSC_VER`), and
    /// its 1-based line.
    pub directive: (String, u32),
    /// The byte offset of that directive's `#`.
    pub opens: usize,
}

/// Every conditional group of `bytes`, in the order their directives
/// appear (an enclosing group before the groups inside it). Lines are
/// counted as the compiler counts them: LF, CRLF and a lone CR each end
/// one. A directive is a `#` first on its line (after blanks and block
/// comments), as in [`crate::scan::cond`]; an unclosed chain ends at the
/// end of the file.
pub fn groups(bytes: &[u8]) -> Vec<Group> {
    let mut lines = LineCounter::new(bytes);
    let mut found: Vec<Group> = Vec::new();
    // The open chains: the index of the group now open in each.
    let mut open: Vec<usize> = Vec::new();
    for directive in Index::directives(bytes) {
        if !directive.starts_line {
            continue;
        }
        let Range { start, end } = directive.span;
        let text = &bytes[start..end];
        let keyword = directive.keyword;
        let close = |found: &mut Vec<Group>, g: usize, lines: &mut LineCounter| {
            found[g].end = start;
            found[g].lines.1 = lines.line_at(start).saturating_sub(1);
        };
        match keyword {
            Keyword::If | Keyword::Ifdef | Keyword::Ifndef => {}
            Keyword::Elif | Keyword::Elifdef | Keyword::Elifndef | Keyword::Else => {
                let Some(&g) = open.last() else { continue };
                close(&mut found, g, &mut lines);
                open.pop();
            }
            Keyword::Endif => {
                if let Some(g) = open.pop() {
                    close(&mut found, g, &mut lines);
                }
                continue;
            }
            _ => continue,
        }
        // The group starts on the line after the directive's last line.
        let directive_line = lines.line_at(start);
        let body = after_line(bytes, end);
        let first = lines.line_at(body).max(directive_line + 1);
        let shown = String::from_utf8_lossy(
            text.split(|&b| b == b'\n' || b == b'\r')
                .next()
                .unwrap_or(text),
        )
        .trim()
        .to_owned();
        found.push(Group {
            start: body,
            end: bytes.len(),
            lines: (first, u32::MAX),
            directive: (shown, directive_line),
            opens: start,
        });
        open.push(found.len() - 1);
    }
    let last = lines.line_at(bytes.len());
    for g in open {
        found[g].lines.1 = last;
    }
    found
}

/// The offset just past the line break at or after `at` (the end of the
/// bytes if none).
fn after_line(bytes: &[u8], at: usize) -> usize {
    match memchr::memchr2(b'\n', b'\r', &bytes[at.min(bytes.len())..]) {
        Some(i) => {
            let b = at + i;
            if bytes[b] == b'\r' && bytes.get(b + 1) == Some(&b'\n') {
                b + 2
            } else {
                b + 1
            }
        }
        None => bytes.len(),
    }
}

/// 1-based line numbers of increasing offsets, counted once.
struct LineCounter<'b> {
    bytes: &'b [u8],
    at: usize,
    line: u32,
}

impl<'b> LineCounter<'b> {
    fn new(bytes: &'b [u8]) -> Self {
        LineCounter {
            bytes,
            at: 0,
            line: 1,
        }
    }

    /// The line of `offset`; offsets must not decrease between calls
    /// (an earlier one is counted from the start again).
    fn line_at(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.bytes.len());
        if offset < self.at {
            self.at = 0;
            self.line = 1;
        }
        let mut i = self.at;
        while let Some(found) = memchr::memchr2(b'\n', b'\r', &self.bytes[i..offset]) {
            let b = i + found;
            // CRLF is one line break: count it at its LF.
            if !(self.bytes[b] == b'\r' && self.bytes.get(b + 1) == Some(&b'\n')) {
                self.line += 1;
            }
            i = b + 1;
        }
        self.at = offset;
        self.line
    }
}

/// Whether the directive at byte `at` of `bytes` opens an include guard:
/// `#ifndef NAME` (or `#if !defined NAME`, `#if !defined(NAME)`) whose
/// next directive is `#define NAME`. Its group is compiled whenever the
/// file is included for the first time, whatever NAME is elsewhere.
pub fn is_include_guard(bytes: &[u8], at: usize) -> bool {
    let mut lexer = Lexer::at(&bytes[at.min(bytes.len())..], 0);
    let mut directives = std::iter::from_fn(|| loop {
        match lexer.next_token(true)? {
            Token::Directive(text) => return Some(text),
            _ => continue,
        }
    });
    let Some(opening) = directives.next() else {
        return false;
    };
    let (keyword, rest) = crate::scan::index::split_keyword(opening);
    let name_in = |text: &[u8]| -> Vec<u8> {
        text.iter()
            .copied()
            .skip_while(|b| !(b.is_ascii_alphabetic() || *b == b'_'))
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .collect()
    };
    let name = match keyword {
        b"ifndef" => name_in(rest),
        b"if" => {
            let rest = rest.trim_ascii();
            let Some(rest) = rest.strip_prefix(b"!") else {
                return false;
            };
            let rest = rest.trim_ascii_start();
            let Some(rest) = rest.strip_prefix(b"defined") else {
                return false;
            };
            let inner: Vec<u8> = rest
                .iter()
                .copied()
                .filter(|b| !matches!(b, b'(' | b')' | b' ' | b'\t'))
                .collect();
            if inner.is_empty()
                || !inner
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                return false;
            }
            inner
        }
        _ => return false,
    };
    let Some(next) = directives.next() else {
        return false;
    };
    let (keyword, rest) = crate::scan::index::split_keyword(next);
    !name.is_empty() && keyword == b"define" && name_in(rest) == name
}

/// Whether a group is compiled: one of its lines produced output.
pub fn is_compiled(group: &Group, lines: &Lines) -> bool {
    group.lines.0 <= group.lines.1 && lines.any_in(group.lines.0, group.lines.1)
}

/// The innermost group of `groups` (as [`groups`] gives them) that holds
/// 1-based `line`, if any.
pub fn innermost(groups: &[Group], line: u32) -> Option<&Group> {
    groups
        .iter()
        .filter(|g| g.lines.0 <= line && line <= g.lines.1)
        .max_by_key(|g| g.lines.0)
}

/// The 1-based line of byte `offset` in `bytes` (LF, CRLF and a lone CR
/// each end a line).
pub fn line_of(bytes: &[u8], offset: usize) -> u32 {
    LineCounter::new(bytes).line_at(offset)
}

/// The view of a unit ([`View`]: its dead ranges and the includes they
/// hold) as its compiler's preprocessor output `compiled` says, walking
/// the unit as [`crate::scan::cond::walk`] does (`root`, `includes[f]`
/// as offsets past the directive's line and included files, `bytes(f)`
/// each file's text, `real_path(f)` its real path as `compiled` names
/// files). A conditional group that produced no output is dead (with the
/// groups inside it), and the includes in it are not followed; a file the
/// compiler never entered is dead whole in this unit (it included another
/// file by that name, or none). A dead range is [`Dead::build`] unless
/// `constant` (the walk with nothing known, [`crate::scan::cond::Env::default`])
/// has it dead by constants alone (`#if 0`): no build compiles it. The
/// build is free-threaded when the output leaves `Py_GIL_DISABLED`
/// defined. `None` when the root is not in the output (then the output is
/// not about this unit).
pub fn view<'b>(
    root: usize,
    includes: &[Vec<(usize, usize)>],
    bytes: &dyn Fn(usize) -> &'b [u8],
    real_path: &dyn Fn(usize) -> Option<PathBuf>,
    compiled: &Compiled,
    constant: &View,
) -> Option<View> {
    let lines_of = |f: usize| real_path(f).and_then(|p| compiled.files.get(&p));
    lines_of(root)?;
    let mut view = View {
        decider: crate::scan::cond::Decider::Compiler,
        ..View::default()
    };
    let mut seen = std::collections::HashSet::from([root]);
    // Files to walk, with their include depth (the root is 1).
    let mut pending = vec![(root, 1usize)];
    while let Some((f, depth)) = pending.pop() {
        let text = bytes(f);
        let constant_dead = constant.dead.get(&f).map_or(&[][..], Vec::as_slice);
        let by_constants = |start: usize, end: usize| {
            constant_dead
                .iter()
                .any(|d| !d.build && d.start <= start && end <= d.end)
        };
        let mut dead: Vec<Dead> = Vec::new();
        let Some(lines) = lines_of(f) else {
            dead.push(Dead {
                start: 0,
                end: text.len(),
                build: !by_constants(0, text.len()),
            });
            view.dead.insert(f, dead);
            for &(line_end, _) in &includes[f] {
                view.dead_includes.insert((f, line_end));
            }
            continue;
        };
        let found = groups(text);
        for g in &found {
            if is_compiled(g, lines) {
                continue;
            }
            if dead
                .last()
                .is_some_and(|d| d.start <= g.start && g.end <= d.end)
            {
                continue;
            }
            dead.push(Dead {
                start: g.start,
                end: g.end,
                build: !by_constants(g.start, g.end),
            });
        }
        let mut children = Vec::new();
        for &(line_end, target) in &includes[f] {
            let at = line_end.saturating_sub(1);
            if dead.iter().any(|d| d.start <= at && at < d.end) {
                view.dead_includes.insert((f, line_end));
            } else if depth < crate::scan::unit::MAX_INCLUDE_DEPTH && seen.insert(target) {
                children.push((target, depth + 1));
            }
        }
        // Depth first, in the order of the includes.
        pending.extend(children.into_iter().rev());
        if !dead.is_empty() {
            dead.sort();
            view.dead.insert(f, dead);
        }
    }
    view.reached = seen;
    view.free_threaded = Some(match compiled.macros.get("Py_GIL_DISABLED") {
        Some(Definition {
            value: Some(_),
            at: (file, line),
        }) => (
            true,
            format!("the build's preprocessor has Py_GIL_DISABLED defined ({file}:{line})"),
        ),
        _ => (
            false,
            "the build's preprocessor leaves Py_GIL_DISABLED undefined".to_owned(),
        ),
    });
    Some(view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_name_the_lines_each_file_produced() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(root.join("m.c"), "").unwrap();
        std::fs::write(root.join("a \"b\".h"), "").unwrap();
        let output = "# 1 \"m.c\"\n# 1 \"<built-in>\"\n#define __GNUC__ 12\n# 1 \"<command-line>\"\n#define Py_X 1\n# 1 \"m.c\"\nint a;\n\n# 1 \"a \\\"b\\\".h\" 1\nint b;\n# 4 \"m.c\" 2\n\n#undef Py_X\n\n\nint c;\n";
        let compiled = Compiled::read(
            &mut output.as_bytes(),
            &root,
            &|p| p.starts_with(&root),
            &["Py_X", "__GNUC__"],
        )
        .unwrap();
        let m = &compiled.files[&root.join("m.c")];
        assert_eq!(m.0, [1, 3, 5, 8], "tokens, the #include, the #undef");
        assert_eq!(compiled.files[&root.join("a \"b\".h")].0, [1]);
        assert_eq!(
            compiled.macros["Py_X"],
            Definition {
                value: None,
                at: ("m.c".to_owned(), 5)
            }
        );
        assert_eq!(compiled.macros["__GNUC__"].value.as_deref(), Some("12"));
    }

    #[test]
    fn a_view_blanks_what_the_compiler_did_not_compile() {
        // m.c includes a.h in a live group and b.h in a dead one; c.h is
        // included live but the compiler never entered it.
        let m = b"#include \"a.h\"\n#ifdef X\n#include \"b.h\"\nint x;\n#else\nint y;\n#endif\n#if 0\nint z;\n#endif\n#include \"c.h\"\n";
        let a = b"#ifdef A\nint a;\n#endif\n";
        let texts: [&[u8]; 4] = [m, a, b"int b;\n", b"int c;\n"];
        let at = |needle: &str| {
            let i = memchr::memmem::find(m, needle.as_bytes()).unwrap();
            after_line(m, i)
        };
        let includes = vec![
            vec![
                (at("#include \"a.h\""), 1),
                (at("#include \"b.h\""), 2),
                (at("#include \"c.h\""), 3),
            ],
            vec![],
            vec![],
            vec![],
        ];
        let path = |f: usize| Some(PathBuf::from(["m.c", "a.h", "b.h", "c.h"][f]));
        let compiled = Compiled {
            files: HashMap::from([
                (PathBuf::from("m.c"), Lines(vec![1, 6, 11])),
                (PathBuf::from("a.h"), Lines(vec![])),
            ]),
            macros: HashMap::new(),
        };
        // The walk with nothing known has `#if 0` dead by constants.
        let z = memchr::memmem::find(m, b"int z").unwrap();
        let constant = View {
            dead: HashMap::from([(
                0,
                vec![Dead {
                    start: z,
                    end: z + 7,
                    build: false,
                }],
            )]),
            ..View::default()
        };
        let view = view(0, &includes, &|f| texts[f], &path, &compiled, &constant).unwrap();
        let dead = |f: usize| -> Vec<(&str, bool)> {
            view.dead[&f]
                .iter()
                .map(|d| {
                    (
                        std::str::from_utf8(&texts[f][d.start..d.end]).unwrap(),
                        d.build,
                    )
                })
                .collect()
        };
        assert_eq!(
            dead(0),
            [("#include \"b.h\"\nint x;\n", true), ("int z;\n", false)]
        );
        assert_eq!(dead(1), [("int a;\n", true)]);
        assert_eq!(dead(3), [("int c;\n", true)], "never entered: dead whole");
        assert!(
            !view.dead.contains_key(&2),
            "not walked: its include is dead"
        );
        assert!(view.dead_includes.contains(&(0, at("#include \"b.h\""))));
        assert_eq!(view.dead_includes.len(), 1);
        assert_eq!(view.free_threaded.as_ref().map(|f| f.0), Some(false));
        // Output that does not name the root is not about this unit.
        let other = Compiled::default();
        assert!(super::view(0, &includes, &|f| texts[f], &path, &other, &constant).is_none());
    }

    #[test]
    fn include_guards_are_told_apart() {
        let guard = |text: &str| is_include_guard(text.as_bytes(), 0);
        assert!(guard("#ifndef A_H\n#define A_H\nint a;\n#endif\n"));
        assert!(guard("#if !defined(A_H)\n/* c */\n#define A_H 1\n#endif\n"));
        assert!(guard("#if !defined A_H\n#define A_H\n#endif\n"));
        assert!(!guard("#ifndef A_H\n#define B_H\n#endif\n"));
        assert!(
            !guard("#ifndef A_H\nint a;\n#endif\n#define A_H\n"),
            "not next"
        );
        assert!(!guard("#ifdef A_H\n#define A_H\n#endif\n"));
        assert!(!guard("#if !defined(A_H) || B\n#define A_H\n#endif\n"));
    }

    #[test]
    fn groups_follow_chains_and_count_lines_as_the_compiler() {
        let text = b"int a;\r\n#ifdef X\r\nint b;\r\n#  elif Y\rint c;\n/* c */ #else\n#if Z\nint d;\n#endif\n#endif\nint e;\n#ifdef OPEN\nint f;\n";
        let found = groups(text);
        let summary: Vec<(&str, u32, (u32, u32))> = found
            .iter()
            .map(|g| (g.directive.0.as_str(), g.directive.1, g.lines))
            .collect();
        assert_eq!(
            summary,
            [
                ("#ifdef X", 2, (3, 3)),
                ("#  elif Y", 4, (5, 5)),
                ("#else", 6, (7, 9)),
                ("#if Z", 7, (8, 8)),
                ("#ifdef OPEN", 12, (13, 14)),
            ]
        );
        let lines = Lines(vec![1, 8, 11]);
        assert!(!is_compiled(&found[0], &lines));
        assert!(is_compiled(&found[2], &lines), "a nested line counts");
        assert_eq!(innermost(&found, 8).unwrap().directive.0, "#if Z");
        assert!(innermost(&found, 11).is_none());
        assert_eq!(line_of(text, text.len()), 14);
    }
}
