//! The one pass over a file's bytes that every later step of the scan asks
//! instead of reading the text again: the preprocessor directives (each
//! with its keyword, its extent and whether the compiler reads it as a
//! directive), the comments a suppression may sit in, whether an `#if`
//! holds a literal, and the prefilter's lexical traces. The lexer runs once
//! per file, a header shared by many translation units included; the
//! include reader, the `#if` walk, the header definitions of a build and
//! the suppressions read the directives and comments found here. (ripgrep
//! and tree-sitter's tags crate work the same way: compute once, look up
//! many times.)

use std::ops::Range;

use crate::scan::lexer::{Lexer, Token};
use crate::scan::prefilter::{Facts, Scanner};
use crate::scan::source::BOM;

/// What follows the `#` of a directive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    /// `#if`
    If,
    /// `#ifdef`
    Ifdef,
    /// `#ifndef`
    Ifndef,
    /// `#elif`
    Elif,
    /// `#elifdef` (C23)
    Elifdef,
    /// `#elifndef` (C23)
    Elifndef,
    /// `#else`
    Else,
    /// `#endif`
    Endif,
    /// `#include`
    Include,
    /// `#define`
    Define,
    /// `#undef`
    Undef,
    /// Any other word (`#pragma`, `#error`, `#line`, `#import`, a typo).
    Other,
}

impl Keyword {
    fn of(word: &[u8]) -> Keyword {
        match word {
            b"if" => Keyword::If,
            b"ifdef" => Keyword::Ifdef,
            b"ifndef" => Keyword::Ifndef,
            b"elif" => Keyword::Elif,
            b"elifdef" => Keyword::Elifdef,
            b"elifndef" => Keyword::Elifndef,
            b"else" => Keyword::Else,
            b"endif" => Keyword::Endif,
            b"include" => Keyword::Include,
            b"define" => Keyword::Define,
            b"undef" => Keyword::Undef,
            _ => Keyword::Other,
        }
    }
}

/// One preprocessor directive, as the lexer reads it: from `#` to the end
/// of its logical line (continuations, and comments and literals inside
/// it, included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Byte offsets of the text, from `#` to just before the line break
    /// that ends it (a CRLF's CR is part of the text, its LF is not).
    pub span: Range<usize>,
    /// The byte offset just past that line break (the end of the file when
    /// none follows): where a unit inlines an included file.
    pub line_end: usize,
    /// The word after `#`.
    pub keyword: Keyword,
    /// Whether only blanks and block comments come before `#` on its line
    /// (a lone CR ends a line too): then the compiler reads it as a
    /// directive. A `#` after code on its line is the lexer's directive
    /// token (tree-sitter-c reads one there too), not the compiler's.
    pub starts_line: bool,
}

impl Directive {
    /// The text after the keyword (to the end of the logical line).
    pub fn rest<'b>(&self, bytes: &'b [u8]) -> &'b [u8] {
        split_keyword(&bytes[self.span.clone()]).1
    }
}

/// The keyword and the rest of a directive's text (`#` and blanks off).
pub fn split_keyword(text: &[u8]) -> (&[u8], &[u8]) {
    let text = text[1..].trim_ascii_start();
    let end = text
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .unwrap_or(text.len());
    (&text[..end], &text[end..])
}

/// What an `#include` directive's `rest` (the text after the keyword)
/// names: whether between quotes (`true`) or `<>`, and the name; `None`
/// for a computed include or an unclosed name.
pub fn include_target(rest: &[u8]) -> Option<(bool, &[u8])> {
    let rest = rest.trim_ascii();
    let (quoted, close) = match rest.first() {
        Some(b'<') => (false, b'>'),
        Some(b'"') => (true, b'"'),
        _ => return None,
    };
    let end = memchr::memchr(close, &rest[1..])?;
    Some((quoted, &rest[1..1 + end]))
}

/// The marker that starts a suppression inside a comment (see
/// `project::suppress`): the comments of a file are kept only when it
/// holds one.
pub const SUPPRESSION_MARKER: &[u8] = b"oncevar:";

/// What one pass over a file found.
#[derive(Debug)]
pub struct Index {
    /// The preprocessor directives, in order.
    pub directives: Vec<Directive>,
    /// The byte ranges of every comment, in order (those inside
    /// directives included; a `//` or `/*` inside a literal starts none),
    /// when the file holds [`SUPPRESSION_MARKER`]; `None` otherwise.
    pub comments: Option<Vec<Range<usize>>>,
    /// Whether an `#if` or `#elif` that the compiler reads holds a digit
    /// or a quote in its condition: without a compilation database every
    /// name is unknown, so only such a condition can be decided (see
    /// `scan::cond`). Errs towards `true`.
    pub literal_condition: bool,
    /// The prefilter's lexical traces of candidates and writes.
    pub facts: Facts,
}

impl Index {
    /// Reads `bytes` once. A UTF-8 byte order mark is skipped; every
    /// offset is one into `bytes` as given.
    pub fn of(bytes: &[u8]) -> Index {
        let start = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
        let mut lexer = Lexer::at(bytes, start);
        if memchr::memmem::find(bytes, SUPPRESSION_MARKER).is_some() {
            lexer.record_comments();
        }
        let mut scanner = Scanner::new(bytes);
        let mut directives = Vec::new();
        let mut literals = 0;
        while let Some(token) = lexer.next_token(scanner.quiet()) {
            if lexer.literals() != literals {
                literals = lexer.literals();
                scanner.literal();
            }
            match token {
                Token::Directive(text) => {
                    directives.push(directive(bytes, text));
                    scanner.directive(text);
                }
                token => scanner.token(token),
            }
        }
        let literal_condition = directives.iter().any(|d| has_literal(bytes, d));
        Index {
            directives,
            comments: lexer.take_comments(),
            literal_condition,
            facts: scanner.finish(),
        }
    }

    /// The directives alone, for a file that is read for its definitions
    /// only (a header of a build's include path).
    pub fn directives(bytes: &[u8]) -> Vec<Directive> {
        let start = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
        let mut lexer = Lexer::at(bytes, start);
        let mut directives = Vec::new();
        while let Some(token) = lexer.next_token(true) {
            if let Token::Directive(text) = token {
                directives.push(directive(bytes, text));
            }
        }
        directives
    }

    /// The `#include`s the compiler reads, of every form, in order (see
    /// [`crate::scan::unit::includes_of`]).
    pub fn includes(&self, bytes: &[u8]) -> Vec<crate::scan::unit::Include> {
        crate::scan::unit::includes_of(&self.directives, bytes)
    }
}

/// The [`Directive`] whose text the lexer handed over as `text`, a slice
/// of `bytes`.
fn directive(bytes: &[u8], text: &[u8]) -> Directive {
    let start = text.as_ptr() as usize - bytes.as_ptr() as usize;
    let end = start + text.len();
    let line_end = match bytes.get(end) {
        Some(_) => end + 1,
        None => end,
    };
    // A lone CR ends a line too (an old Mac file), as for the lexer; a
    // byte order mark is no text (compilers skip it).
    let line_start = memchr::memrchr2(b'\n', b'\r', &bytes[..start]).map_or_else(
        || if bytes.starts_with(BOM) { BOM.len() } else { 0 },
        |i| i + 1,
    );
    Directive {
        span: start..end,
        line_end,
        keyword: Keyword::of(split_keyword(text).0),
        starts_line: blank_or_comments(&bytes[line_start..start]),
    }
}

/// Whether `d` is an `#if` or `#elif` the compiler reads with a digit or
/// a quote in its condition (comments included: it errs towards `true`).
fn has_literal(bytes: &[u8], d: &Directive) -> bool {
    d.starts_line
        && matches!(d.keyword, Keyword::If | Keyword::Elif)
        && d.rest(bytes)
            .iter()
            .any(|b| b.is_ascii_digit() || *b == b'\'')
}

/// Whether the text before a `#` on its line holds only blanks and block
/// comments (`/* ... */ #if` is a directive: a comment is white space).
fn blank_or_comments(mut text: &[u8]) -> bool {
    loop {
        text = text.trim_ascii_start();
        if text.is_empty() {
            return true;
        }
        let Some(rest) = text.strip_prefix(b"/*") else {
            return false;
        };
        match memchr::memmem::find(rest, b"*/") {
            Some(end) => text = &rest[end + 2..],
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn includes(text: &[u8]) -> Vec<(String, usize)> {
        Index::of(text)
            .includes(text)
            .into_iter()
            .filter(|i| i.form == crate::scan::unit::IncludeForm::Quoted)
            .map(|i| (i.name, i.line_end))
            .collect()
    }

    #[test]
    fn quoted_includes_are_those_the_compiler_reads() {
        let text = b"#include <Python.h>\n#include \"a.h\"\n/* #include \"b.h\"\n */\n  #  include \"c/d.h\" // x /*\n/* one */ #include \"f.h\"\nint x; #include \"g.h\"\n#define H \\\n#include \"h.h\"\n#include \"e.h\"";
        let found = includes(text);
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        // A comment before `#` is white space; code before it, or a
        // directive's continuation, makes no include.
        assert_eq!(names, ["a.h", "c/d.h", "f.h", "e.h"]);
        assert_eq!(found[0].1, 35);
        assert_eq!(found[3].1, text.len());
    }

    #[test]
    fn quoted_includes_of_a_lone_cr_file() {
        // An old Mac file: a lone CR ends each line, as the compiler reads
        // it; the included text goes right after the directive's CR.
        let text = b"/* top */\r#include \"a.h\"\r#include \"b.h\"\r\nint x;\r";
        assert_eq!(
            includes(text),
            [("a.h".to_owned(), 25), ("b.h".to_owned(), 41)],
            "the second after its CRLF"
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_offsets_kept() {
        let text = b"\xEF\xBB\xBF#include \"a.h\"\nstatic PyObject *v;\n";
        assert_eq!(includes(text), [("a.h".to_owned(), 18)]);
        let index = Index::of(text);
        assert_eq!(index.directives[0].span, 3..17);
    }

    #[test]
    fn comments_are_kept_only_where_a_suppression_may_be() {
        assert!(Index::of(b"/* a */ int x; // b\n").comments.is_none());
        let text = b"/* a */ int x; // oncevar: ignore\n";
        assert_eq!(Index::of(text).comments, Some(vec![0..7, 15..33]));
    }

    #[test]
    fn literal_conditions_are_those_of_directives_the_compiler_reads() {
        for (text, literal) in [
            ("#if 0\n#endif\n", true),
            ("#ifdef X1\n#endif\n", false),
            ("#if X || \\\n 1\n#endif\n", true),
            ("#if X /* open\n */ || 1\n#endif\n", true),
            ("#elif 'a'\n", true),
            ("int a; #if 0\n", false),
            ("/* c */ #if 0\n", true),
            ("#if defined(A) && !B\n#endif\n", false),
        ] {
            assert_eq!(
                Index::of(text.as_bytes()).literal_condition,
                literal,
                "{text:?}"
            );
        }
    }
}
