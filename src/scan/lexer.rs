//! A byte-level C lexer that skips what tree-sitter-c skips: whitespace,
//! comments, string and character literals, and hands over preprocessor
//! directives whole. It is the one place that knows where a comment or a
//! literal starts and ends without parsing, for the prefilter (which must
//! not see code inside a comment or a string) and for suppressions (which
//! must only be read inside a comment).
//!
//! Where tree-sitter could disagree (an unterminated literal or comment) the
//! lexer reads the text as code: the opening quote or `/` becomes a
//! punctuator and lexing goes on after it.

use std::ops::Range;

/// One code token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// An identifier or keyword.
    Ident(&'a [u8]),
    /// A number: a digit, then letters, digits, `_` and `.` (an exponent's
    /// sign is a punctuator of its own); with `merge_numbers`, a whole run
    /// of numbers separated by commas and blanks.
    Number(&'a [u8]),
    /// A punctuator; multi-byte operators are one token (only `=`, `==`,
    /// `&`, `&&`, `->` and the compound assignments need to be exact).
    Punct(&'a [u8]),
    /// A preprocessor directive, from `#` to the end of its logical line
    /// (continuations, comments and literals inside it included).
    Directive(&'a [u8]),
}

/// Byte classes, looked up instead of compared: the tokenizer's inner loops.
const OTHER: u8 = 0;
const SPACE: u8 = 1;
const DIGIT: u8 = 2;
const LETTER: u8 = 3;
const CLASSES: [u8; 256] = {
    let mut classes = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        classes[b] = match b as u8 {
            // A backslash outside a literal continues a line: blank.
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c' | b'\\' => SPACE,
            b'0'..=b'9' => DIGIT,
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | 0x80..=0xff => LETTER,
            _ => OTHER,
        };
        b += 1;
    }
    classes
};

/// Whether `b` can be part of an identifier (a letter, `_`, a digit, or a
/// byte of a UTF-8 sequence).
pub fn is_ident(b: u8) -> bool {
    CLASSES[b as usize] >= DIGIT
}

/// Whether `b` can start an identifier.
pub fn is_ident_start(b: u8) -> bool {
    CLASSES[b as usize] == LETTER
}

/// The length of the character that starts `bytes` (at least one byte) and
/// whether tree-sitter lexes it as blank: Unicode white space (a no-break
/// space pasted from a web page) and a byte that is not UTF-8 are skipped
/// like spaces, any other character beyond ASCII may be part of a name.
fn non_ascii(bytes: &[u8]) -> (usize, bool) {
    let head = &bytes[..bytes.len().min(4)];
    match head
        .utf8_chunks()
        .next()
        .and_then(|c| c.valid().chars().next())
    {
        Some(c) => (c.len_utf8(), c.is_whitespace()),
        None => (1, true),
    }
}

/// The end of the number literal that starts at `start` (a digit, or a `.`
/// before one), by tree-sitter-c's rule: an optional `0x`/`0b`, digits
/// with `'` separators, a fraction, an exponent and a suffix of
/// `uUlLwWfFbBdD`. What follows (`1static`) is another token, as it is to
/// tree-sitter.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let digits = |mut i: usize, hex: bool| {
        let is_digit = |b: u8| b.is_ascii_digit() || (hex && b.is_ascii_hexdigit());
        while is_digit(at(i)) || (at(i) == b'\'' && is_digit(at(i + 1)) && i > start) {
            i += 1;
        }
        i
    };
    let mut i = start;
    if at(i) == b'.' {
        i = digits(i + 1, false);
    } else {
        let prefix = at(i) == b'0' && matches!(at(i + 1), b'x' | b'X' | b'b' | b'B');
        let hex = prefix && matches!(at(i + 1), b'x' | b'X');
        if prefix && (at(i + 2).is_ascii_digit() || (hex && at(i + 2).is_ascii_hexdigit())) {
            i += 2;
        }
        i = digits(i, hex);
        if at(i) == b'.' {
            // tree-sitter allows hex digits here, but takes the longest
            // token: `1.5e-3` keeps its exponent.
            i = digits(i + 1, hex);
        }
    }
    if matches!(at(i), b'e' | b'E' | b'p' | b'P') {
        i += 1;
        if matches!(at(i), b'+' | b'-') && at(i + 1).is_ascii_hexdigit() {
            i += 1;
        }
        i = digits(i, true);
    }
    while matches!(
        at(i),
        b'u' | b'U' | b'l' | b'L' | b'w' | b'W' | b'f' | b'F' | b'b' | b'B' | b'd' | b'D'
    ) {
        i += 1;
    }
    i
}

/// Reads tokens from the start of a text.
pub struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Where comments are recorded, when the caller wants them.
    comments: Option<Vec<Range<usize>>>,
    /// How many string and character literals were skipped so far.
    literals: usize,
}

impl<'a> Lexer<'a> {
    /// A lexer at byte offset `start` of `bytes` (past a byte order mark,
    /// say); tokens are still slices of `bytes`.
    pub fn at(bytes: &'a [u8], start: usize) -> Self {
        Lexer {
            bytes,
            at: start,
            comments: None,
            literals: 0,
        }
    }

    /// Makes the lexer record the byte range of every comment it skips
    /// (those inside directives included; a `//` or `/*` inside a literal
    /// starts none), for [`Lexer::take_comments`].
    pub fn record_comments(&mut self) {
        self.comments = Some(Vec::new());
    }

    /// The comments recorded so far, in order; `None` unless
    /// [`Lexer::record_comments`] was called.
    pub fn take_comments(&mut self) -> Option<Vec<Range<usize>>> {
        self.comments.take()
    }

    /// How many string and character literals the lexer has skipped so
    /// far: a caller that checks which token may follow which learns from
    /// a change that a literal (an operand) came between two tokens.
    pub fn literals(&self) -> usize {
        self.literals
    }

    fn peek(&self, offset: usize) -> u8 {
        self.bytes.get(self.at + offset).copied().unwrap_or(0)
    }

    fn comment(&mut self, range: Range<usize>) {
        if let Some(comments) = self.comments.as_mut() {
            comments.push(range);
        }
    }

    /// The next token, or `None` at the end of the text. With
    /// `merge_numbers`, a run of numbers separated by commas and blanks (a
    /// data table) is one `Number` token: for a caller to whom such a run
    /// means nothing, it saves a token per entry.
    pub fn next_token(&mut self, merge_numbers: bool) -> Option<Token<'a>> {
        let bytes = self.bytes;
        loop {
            let b = *bytes.get(self.at)?;
            match CLASSES[b as usize] {
                SPACE => {
                    self.at += 1;
                    while bytes
                        .get(self.at)
                        .is_some_and(|&b| CLASSES[b as usize] == SPACE)
                    {
                        self.at += 1;
                    }
                    continue;
                }
                LETTER if b >= 0x80 && non_ascii(&bytes[self.at..]).1 => {
                    self.at += non_ascii(&bytes[self.at..]).0;
                    continue;
                }
                LETTER => {
                    let start = self.at;
                    while let Some(&b) = bytes.get(self.at) {
                        if b < 0x80 {
                            if !is_ident(b) {
                                break;
                            }
                            self.at += 1;
                        } else {
                            match non_ascii(&bytes[self.at..]) {
                                (_, true) => break,
                                (len, false) => self.at += len,
                            }
                        }
                    }
                    return Some(Token::Ident(&bytes[start..self.at]));
                }
                _ => {}
            }
            match b {
                b'/' if self.peek(1) == b'/' => {
                    let end = self.line_comment_end(self.at);
                    self.comment(self.at..end);
                    self.at = end;
                }
                b'/' if self.peek(1) == b'*' => match self.block_comment_end(self.at) {
                    Some(end) => {
                        self.comment(self.at..end);
                        self.at = end;
                    }
                    None => {
                        // A slice of the text, as every token is (readers
                        // take a token's offset from its address).
                        let slash = &bytes[self.at..self.at + 1];
                        self.at += 1;
                        return Some(Token::Punct(slash));
                    }
                },
                b'"' | b'\'' => match self.literal_end(self.at) {
                    Some(end) => {
                        self.at = end;
                        self.literals += 1;
                    }
                    None => {
                        self.at += 1;
                        return Some(Token::Punct(&bytes[self.at - 1..self.at]));
                    }
                },
                // tree-sitter-c's directive token: `#`, blanks, a word.
                b'#' if bytes[self.at + 1..]
                    .iter()
                    .find(|&&c| c != b' ' && c != b'\t')
                    .is_some_and(|c| c.is_ascii_alphanumeric()) =>
                {
                    let start = self.at;
                    self.at = self.directive_end(start);
                    return Some(Token::Directive(&bytes[start..self.at]));
                }
                b'0'..=b'9' => {
                    let start = self.at;
                    loop {
                        self.at = number_end(bytes, self.at);
                        if !merge_numbers {
                            break;
                        }
                        let mut next = self.at;
                        while bytes
                            .get(next)
                            .is_some_and(|&b| b == b',' || CLASSES[b as usize] == SPACE)
                        {
                            next += 1;
                        }
                        if next == self.at || !bytes.get(next).is_some_and(u8::is_ascii_digit) {
                            break;
                        }
                        self.at = next;
                    }
                    return Some(Token::Number(&bytes[start..self.at]));
                }
                b'.' if self.peek(1).is_ascii_digit() => {
                    let start = self.at;
                    self.at = number_end(bytes, self.at);
                    return Some(Token::Number(&bytes[start..self.at]));
                }
                _ => {
                    let start = self.at;
                    self.at += self.punct_len(b);
                    return Some(Token::Punct(&bytes[start..self.at]));
                }
            }
        }
    }

    /// The length of the punctuator at `self.at` that starts with `b`.
    fn punct_len(&self, b: u8) -> usize {
        let next = self.peek(1);
        match b {
            b'=' | b'!' | b'<' | b'>' | b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'|'
                if next == b'=' =>
            {
                2
            }
            b'&' if next == b'&' || next == b'=' => 2,
            b'|' if next == b'|' => 2,
            b'-' if next == b'>' || next == b'-' => 2,
            b'+' if next == b'+' => 2,
            b'.' if next == b'.' && self.peek(2) == b'.' => 3,
            _ => 1,
        }
    }

    /// The length of the line break at `i`: 2 for CRLF, 1 for LF or a
    /// lone CR (a compiler's line break; the parser is given it as LF),
    /// 0 for none.
    fn line_break(&self, i: usize) -> usize {
        match (self.bytes.get(i), self.bytes.get(i + 1)) {
            (Some(b'\r'), Some(b'\n')) => 2,
            (Some(b'\r' | b'\n'), _) => 1,
            _ => 0,
        }
    }

    /// Where the line break at `i` ends its line: at its LF, or at a lone
    /// CR.
    fn line_end_at(&self, i: usize) -> usize {
        i + self.line_break(i) - 1
    }

    /// `i` after the backslash at `i` and what it escapes (a line break
    /// whole).
    fn after_escape(&self, i: usize) -> usize {
        i + 1 + self.line_break(i + 1).max(1)
    }

    /// End of a `//` comment: the first line break not escaped by `\`.
    fn line_comment_end(&self, start: usize) -> usize {
        let mut i = start + 2;
        while let Some(found) = self
            .bytes
            .get(i..)
            .and_then(|r| memchr::memchr3(b'\\', b'\n', b'\r', r))
        {
            i += found;
            if self.bytes[i] != b'\\' {
                return self.line_end_at(i);
            }
            i = self.after_escape(i);
        }
        self.bytes.len()
    }

    /// End of a `/* */` comment, or `None` if it is never closed.
    fn block_comment_end(&self, start: usize) -> Option<usize> {
        memchr::memmem::find(&self.bytes[start + 2..], b"*/").map(|i| start + 2 + i + 2)
    }

    /// End of a string or character literal, or `None` if a line break
    /// comes first (tree-sitter then lexes the rest of the line as code).
    fn literal_end(&self, start: usize) -> Option<usize> {
        let quote = self.bytes[start];
        let mut i = start + 1;
        while let Some(found) = self
            .bytes
            .get(i..)
            .and_then(|r| memchr::memchr3(quote, b'\\', b'\n', r))
        {
            // A CR before it is a lone one, or the CR of a CRLF at it.
            if memchr::memchr(b'\r', &self.bytes[i..i + found]).is_some() {
                return None;
            }
            i += found;
            match self.bytes[i] {
                b'\\' => i = self.after_escape(i),
                b'\n' | b'\r' => return None,
                _ => return Some(i + 1),
            }
        }
        None
    }

    /// The newline that ends the directive starting at `start`: not escaped,
    /// not inside a comment or a literal.
    fn directive_end(&mut self, start: usize) -> usize {
        let keyword = self.bytes[start + 1..].trim_ascii_start();
        // `#include <a/*b.h>`: the path is one token, not a comment.
        let include = keyword.starts_with(b"include") || keyword.starts_with(b"import");
        let mut i = start + 1;
        while i < self.bytes.len() {
            match self.bytes[i] {
                b'\\' => i = self.after_escape(i),
                b'\n' | b'\r' => return self.line_end_at(i),
                b'<' if include => {
                    i += 1 + memchr::memchr3(b'>', b'\n', b'\r', &self.bytes[i + 1..])
                        .map_or(self.bytes.len() - i - 1, |at| {
                            at + usize::from(self.bytes[i + 1 + at] == b'>')
                        });
                }
                b'/' if self.bytes.get(i + 1) == Some(&b'/') => {
                    let end = self.line_comment_end(i);
                    self.comment(i..end);
                    return end;
                }
                b'/' if self.bytes.get(i + 1) == Some(&b'*') => match self.block_comment_end(i) {
                    Some(end) => {
                        self.comment(i..end);
                        i = end;
                    }
                    None => i += 1,
                },
                b'"' | b'\'' => i = self.literal_end(i).unwrap_or(i + 1),
                _ => i += 1,
            }
        }
        self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut lexer = Lexer::at(text.as_bytes(), 0);
        std::iter::from_fn(|| lexer.next_token(false))
            .map(|t| match t {
                Token::Ident(s) | Token::Number(s) | Token::Punct(s) => {
                    String::from_utf8_lossy(s).into_owned()
                }
                Token::Directive(s) => format!("<{}>", String::from_utf8_lossy(s)),
            })
            .collect()
    }

    /// Every token is a slice of the text, also the `/` of a comment
    /// left open (it was a static `b"/"`, and cond.rs's condition_text,
    /// which takes a token's offset from its address, panicked on `#if A
    /// /* open`: found by the fuzz target diff_apply).
    #[test]
    fn every_token_lies_in_the_text() {
        for text in [
            "#if A /* open",
            "x = 1 / /* open\n",
            "/*",
            "a/*b",
            "#if X\n/* open",
        ] {
            let bytes = text.as_bytes();
            let range = bytes.as_ptr_range();
            let mut lexer = Lexer::at(bytes, 0);
            while let Some(token) = lexer.next_token(false) {
                let (Token::Ident(t) | Token::Number(t) | Token::Punct(t) | Token::Directive(t)) =
                    token;
                let inside = range.start <= t.as_ptr() && t.as_ptr_range().end <= range.end;
                assert!(inside, "{text:?}: {:?}", String::from_utf8_lossy(t));
            }
        }
    }

    fn comment_texts(text: &str) -> Vec<&str> {
        let mut lexer = Lexer::at(text.as_bytes(), 0);
        lexer.record_comments();
        while lexer.next_token(false).is_some() {}
        lexer
            .take_comments()
            .unwrap_or_default()
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn comments_and_literals_are_skipped() {
        assert_eq!(
            tokens("a /* b */ = \"c // d\" + 'e' // f\n-> g"),
            ["a", "=", "+", "->", "g"]
        );
    }

    #[test]
    fn directives_are_one_token_to_their_logical_line_end() {
        assert_eq!(
            tokens("#define A(x) \\\n  x = 1 /* \n */ + 2\nb #include <a/*b.h>\nc"),
            [
                "<#define A(x) \\\n  x = 1 /* \n */ + 2>",
                "b",
                "<#include <a/*b.h>>",
                "c"
            ]
        );
    }

    #[test]
    fn a_lone_cr_ends_a_directive_a_line_comment_and_a_literal() {
        assert_eq!(
            tokens("#include <a.h>\rx // c\ry \"s\rz #define A \\\r b\rw"),
            [
                "<#include <a.h>>",
                "x",
                "y",
                "\"",
                "s",
                "z",
                "<#define A \\\r b>",
                "w"
            ]
        );
        assert_eq!(tokens("// a \\\r\n b\r\nc \"d\\\r\ne\" f"), ["c", "f"]);
    }

    #[test]
    fn numbers_end_where_tree_sitter_ends_them() {
        assert_eq!(
            tokens("1static 0x1fULL 1.5e-3f .5 ... 1'000 0b101u 12ab"),
            ["1", "static", "0x1fULL", "1.5e-3f", ".5", "...", "1'000", "0b101u", "12", "ab"]
        );
    }

    #[test]
    fn unterminated_literals_and_comments_are_code() {
        assert_eq!(
            tokens("x = \"a\ny /* z"),
            ["x", "=", "\"", "a", "y", "/", "*", "z"]
        );
    }

    #[test]
    fn comments_are_found_outside_literals_and_inside_directives() {
        assert_eq!(
            comment_texts(
                "s = \"// no\"; /* one */ c = '/'; // two \\\n still two\n\
                 #define X 1 /* three */ // four\n#include <a/*b.h>\n"
            ),
            [
                "/* one */",
                "// two \\\n still two",
                "/* three */",
                "// four"
            ]
        );
    }
}
