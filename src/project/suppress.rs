//! Inline suppressions and the other choices a project makes about its
//! findings. A comment `/* oncevar: ignore[OV101] */` (or `//`) on a site's
//! declaration line, or on the line above, accepts that site; a bare
//! `oncevar: ignore` accepts every code there. Comments are those the
//! scan's one pass over the file found ([`crate::scan::index::Index`]), so
//! a string holding `// oncevar:` is none. Suppressions are matched
//! against everything the analysis found, before the configuration's code
//! selection, so a suppression is "unused" only when it accepts nothing.

use std::ops::Range;

use memchr::memmem;

use crate::diagnostic::{Code, Diagnostic, Location, Span};
use crate::project::config::{self, Policy};
use crate::scan::discover::Problem;
use crate::scan::index::SUPPRESSION_MARKER as MARKER;
use crate::scan::source::Source;
use crate::scan::unit::is_word;

/// One `oncevar: ignore[...]` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The directive's text, from `oncevar:` to `]` (or `ignore`).
    pub location: Location,
    /// The codes it accepts; `None` for a bare `ignore` (every code).
    pub codes: Option<Vec<Code>>,
}

/// A suppression that accepted nothing (`--report-unused-ignores`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnusedIgnore {
    /// The file, as reports show it.
    pub path: String,
    /// The directive's text.
    pub location: Location,
    /// The codes that matched no site; empty for a bare `ignore`.
    pub codes: Vec<Code>,
}

/// The rule id that reports of unused suppressions carry (ruff reports
/// its unused `# noqa` comments the same way, as RUF100).
pub const UNUSED_IGNORE_ID: &str = "unused-ignore";
/// One line on what an unused suppression is (SARIF's rule description).
pub const UNUSED_IGNORE_SUMMARY: &str = "Suppression comment that suppresses nothing";
/// What to do about an unused suppression.
pub const UNUSED_IGNORE_HELP: &str = "An `oncevar: ignore` comment accepts a site on its \
line or the line below. This one matches no site (or none with the codes it names): the \
site was fixed, moved or renamed. Delete the comment, or the codes it no longer needs, \
so that it cannot hide a new site later.";

impl UnusedIgnore {
    /// The report's message, naming the codes that matched nothing.
    pub fn message(&self) -> String {
        if self.codes.is_empty() {
            "unused suppression: no site on this line or the next".to_owned()
        } else {
            let codes: Vec<&str> = self.codes.iter().map(|c| c.as_str()).collect();
            format!(
                "unused suppression: no {} site on this line or the next",
                codes.join(" or ")
            )
        }
    }
}

/// What the project's choices held back, over a whole run.
#[derive(Clone, Debug, Default)]
pub struct Filtered {
    /// Findings accepted by an inline suppression.
    pub suppressed: usize,
    /// Findings of codes the configuration turns off (`select`, `ignore`,
    /// `per-path-ignores`).
    pub deselected: usize,
    /// Suppressions that accepted nothing, sorted by path and position.
    pub unused_ignores: Vec<UnusedIgnore>,
    /// Malformed `oncevar:` comments: reported as warnings, never fatal.
    pub bad_directives: Vec<Problem>,
}

impl Filtered {
    /// Adds another file's counts and lists to these.
    pub fn merge(&mut self, other: Filtered) {
        self.suppressed += other.suppressed;
        self.deselected += other.deselected;
        self.unused_ignores.extend(other.unused_ignores);
        self.bad_directives.extend(other.bad_directives);
    }
}

/// Applies the file's suppressions, then the policy's code selection: the
/// findings to report, and what was held back. `comments` are the byte
/// ranges of the file's comments, in order (what
/// [`crate::scan::index::Index`] keeps; none when the file holds no
/// marker).
pub fn apply(
    source: &Source,
    comments: &[Range<usize>],
    diagnostics: Vec<Diagnostic>,
    policy: &Policy,
) -> (Vec<Diagnostic>, Filtered) {
    let (directives, bad_directives) = directives(source, comments);
    let mut used: Vec<Vec<bool>> = directives
        .iter()
        .map(|d| vec![false; d.codes.as_ref().map_or(1, Vec::len)])
        .collect();
    let mut filtered = Filtered {
        bad_directives,
        ..Filtered::default()
    };
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let mut accepted = false;
        for (directive, used) in directives.iter().zip(used.iter_mut()) {
            if !covers(directive, &d) {
                continue;
            }
            match &directive.codes {
                None => used[0] = true,
                Some(codes) => match codes.iter().position(|&c| c == d.code) {
                    Some(i) => used[i] = true,
                    None => continue,
                },
            }
            accepted = true;
        }
        if accepted {
            filtered.suppressed += 1;
        } else if !policy.reports(std::path::Path::new(&d.path), d.code) {
            filtered.deselected += 1;
        } else {
            kept.push(d);
        }
    }
    for (directive, used) in directives.iter().zip(&used) {
        let unused: Vec<Code> = match &directive.codes {
            None if !used[0] => Vec::new(),
            None => continue,
            Some(codes) => codes
                .iter()
                .zip(used)
                .filter(|(_, &u)| !u)
                .map(|(&c, _)| c)
                .collect(),
        };
        if directive.codes.is_some() && unused.is_empty() {
            continue;
        }
        filtered.unused_ignores.push(UnusedIgnore {
            path: source.display_path.clone(),
            location: directive.location,
            codes: unused,
        });
    }
    (kept, filtered)
}

/// Whether a directive sits on the site's declaration line, its name's
/// line, or the line above either.
fn covers(directive: &Directive, d: &Diagnostic) -> bool {
    let line = directive.location.start.line;
    [d.declaration.start.line, d.declarator.start.line]
        .iter()
        .any(|&l| line == l || line + 1 == l)
}

/// Every directive in the comments of the file (`comments`: their byte
/// ranges, in order), and a problem for each malformed one.
pub fn directives(source: &Source, comments: &[Range<usize>]) -> (Vec<Directive>, Vec<Problem>) {
    let bytes = &source.bytes;
    let mut found = Vec::new();
    let mut problems = Vec::new();
    if comments.is_empty() {
        return (found, problems);
    }
    for at in memmem::find_iter(bytes, MARKER) {
        let word_start = at == 0 || !is_word(bytes[at - 1]);
        if !word_start || !in_comment(comments, at) {
            continue;
        }
        match parse_directive(bytes, at + MARKER.len()) {
            Ok((end, codes)) => found.push(Directive {
                location: source.location(Span { start: at, end }),
                codes,
            }),
            Err(message) => {
                let position = source.position(at);
                problems.push(Problem {
                    path: source.display_path.clone(),
                    message: format!(
                        "{}:{}: {message}; ignored (write `oncevar: ignore[OV101]` or `oncevar: ignore`)",
                        position.line, position.column
                    ),
                    fatal: false,
                });
            }
        }
    }
    (found, problems)
}

/// Whether offset `at` is inside one of `comments` (sorted byte ranges):
/// a `//` inside a string starts none.
fn in_comment(comments: &[Range<usize>], at: usize) -> bool {
    let i = comments.partition_point(|c| c.end <= at);
    comments.get(i).is_some_and(|c| c.start <= at)
}

/// Parses `ignore` or `ignore[CODE, ...]` after the marker: the end offset
/// and the codes.
fn parse_directive(bytes: &[u8], mut at: usize) -> Result<(usize, Option<Vec<Code>>), String> {
    let skip_spaces = |at: &mut usize| {
        while bytes.get(*at).is_some_and(|&b| b == b' ' || b == b'\t') {
            *at += 1;
        }
    };
    skip_spaces(&mut at);
    let word_end = at + bytes[at..].iter().take_while(|&&b| is_word(b)).count();
    let word = String::from_utf8_lossy(&bytes[at..word_end]);
    if word != "ignore" {
        return Err(format!("unknown oncevar directive `{word}`"));
    }
    let mut end = word_end;
    skip_spaces(&mut end);
    if bytes.get(end) != Some(&b'[') {
        return Ok((word_end, None));
    }
    let close = bytes[end..]
        .iter()
        .take_while(|&&b| b != b'\n')
        .position(|&b| b == b']')
        .map(|i| end + i)
        .ok_or("`[` without `]` in oncevar directive")?;
    let list = String::from_utf8_lossy(&bytes[end + 1..close]);
    let mut codes = Vec::new();
    for name in list.split(',').map(str::trim) {
        if name.is_empty() {
            continue;
        }
        codes.push(Code::parse(name).ok_or_else(|| config::unknown_code(name))?);
    }
    if codes.is_empty() {
        return Err("empty code list in oncevar directive".to_owned());
    }
    Ok((close + 1, Some(codes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source::from_bytes("x.c".into(), "x.c".into(), text.as_bytes().to_vec()).unwrap()
    }

    fn found(text: &str) -> (Vec<Directive>, Vec<Problem>) {
        let comments = crate::scan::index::Index::of(text.as_bytes()).comments;
        directives(&source(text), &comments.unwrap_or_default())
    }

    fn parsed(text: &str) -> Vec<(usize, Option<Vec<Code>>)> {
        let (found, problems) = found(text);
        assert!(problems.is_empty(), "{problems:?}");
        found
            .into_iter()
            .map(|d| (d.location.start.line, d.codes))
            .collect()
    }

    #[test]
    fn directives_in_comments_are_found() {
        assert_eq!(
            parsed(
                "/* oncevar: ignore[OV101] */\n\
                 static PyObject *a; // oncevar:ignore[ov102, OV201]\n\
                 // oncevar: ignore\n\
                 const char *s = \"oncevar: ignore\";\n\
                 /* x */ int y; /* see oncevar: ignore */\n\
                 int myoncevar: 1;\n"
            ),
            vec![
                (1, Some(vec![Code::OV101])),
                (2, Some(vec![Code::OV102, Code::OV201])),
                (3, None),
                (5, None),
            ]
        );
    }

    #[test]
    fn a_directive_inside_a_string_is_not_a_comment() {
        assert_eq!(
            parsed(
                "static const char *u = \"// oncevar: ignore\";\n\
                 static const char *v = \"/* x */ /* oncevar: ignore\";\n\
                 #define W \"a\" // oncevar: ignore[OV101]\n\
                 /*\n * oncevar: ignore\n */\n"
            ),
            vec![(3, Some(vec![Code::OV101])), (5, None)]
        );
    }

    #[test]
    fn malformed_directives_are_problems() {
        for (text, message) in [
            (
                "// oncevar: ignroe[OV101]\n",
                "unknown oncevar directive `ignroe`",
            ),
            ("// oncevar: ignore[OV999]\n", "unknown code `OV999`"),
            ("// oncevar: ignore[OV101\n]", "without `]`"),
            ("// oncevar: ignore[]\n", "empty code list"),
        ] {
            let (found, problems) = found(text);
            assert!(found.is_empty(), "{text}");
            assert_eq!(problems.len(), 1, "{text}");
            assert!(problems[0].message.contains(message), "{problems:?}");
            assert!(problems[0].message.starts_with("1:4: "), "{problems:?}");
            assert!(!problems[0].fatal);
        }
    }
}
