//! Text from a scanned file, made safe to print on a terminal: the text
//! formats show source lines, names and types as they are written, and a
//! checkout may hold anything. A control character would move the cursor
//! or rewrite the screen (ESC starts colours and OSC sequences such as a
//! window title, CR returns to the line's start, BEL rings), a
//! bidirectional-text control reorders what follows it (Trojan Source,
//! CVE-2021-42574), and a line or paragraph separator breaks the line in
//! some terminals and editors. Each is shown escaped, as file names already
//! are (`scan::discover::escape_path`): `\x1b`, `\u{202e}`. rustc does the
//! same for such characters in its snippets.

use std::borrow::Cow;

use crate::scan::discover::is_reordering;

/// Whether `c` (followed by `next`) is shown escaped: a control character
/// other than tab and line feed (a carriage return only when no line feed
/// follows, so CRLF lines print as lines), a bidirectional-text control, or
/// a line or paragraph separator.
fn needs_escape(c: char, next: Option<char>) -> bool {
    match c {
        '\t' | '\n' => false,
        '\r' => next != Some('\n'),
        c => c.is_control() || is_reordering(c),
    }
}

/// `c` escaped: `\x1b` below 128, `\u{202e}` above.
fn escaped(c: char) -> String {
    if u32::from(c) < 0x80 {
        format!("\\x{:02x}", u32::from(c))
    } else {
        format!("\\u{{{:04x}}}", u32::from(c))
    }
}

/// `text` with every character that could act on a terminal escaped (see
/// the module's doc); borrowed when there is none.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    Escaped::of(text).text
}

/// A text escaped by [`escape_text`], with the way back from its offsets.
pub(crate) struct Escaped<'a> {
    /// The escaped text.
    pub text: Cow<'a, str>,
    /// For each escaped character, in order: the byte offset just past it
    /// in the original text, and how many bytes longer the escaped text is
    /// up to there.
    shifts: Vec<(usize, usize)>,
}

impl<'a> Escaped<'a> {
    /// `text`, escaped.
    pub fn of(text: &'a str) -> Escaped<'a> {
        let mut chars = text.char_indices().peekable();
        let mut out: Option<String> = None;
        let mut shifts = Vec::new();
        let mut copied = 0;
        while let Some((at, c)) = chars.next() {
            if !needs_escape(c, chars.peek().map(|&(_, n)| n)) {
                continue;
            }
            let out = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
            out.push_str(&text[copied..at]);
            let replacement = escaped(c);
            out.push_str(&replacement);
            copied = at + c.len_utf8();
            let before = shifts.last().map_or(0, |&(_, extra)| extra);
            shifts.push((copied, before + replacement.len() - c.len_utf8()));
        }
        let text = match out {
            Some(mut out) => {
                out.push_str(&text[copied..]);
                Cow::Owned(out)
            }
            None => Cow::Borrowed(text),
        };
        Escaped { text, shifts }
    }

    /// Where byte offset `at` of the original text (a character boundary)
    /// is in the escaped text.
    pub fn offset(&self, at: usize) -> usize {
        let escaped_before = self.shifts.partition_point(|&(end, _)| end <= at);
        at + escaped_before
            .checked_sub(1)
            .map_or(0, |i| self.shifts[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_reordering_characters_are_escaped() {
        let text = "a\x1b]0;title\x07 b\u{202e}c\r\nd\re\u{2028}f\u{85}\tg\n";
        assert_eq!(
            escape_text(text),
            "a\\x1b]0;title\\x07 b\\u{202e}c\r\nd\\x0de\\u{2028}f\\u{0085}\tg\n"
        );
        assert!(matches!(escape_text("plain\ttext\r\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn offsets_follow_the_escapes() {
        let text = "ab\x1bcd\u{202e}e";
        let escaped = Escaped::of(text);
        assert_eq!(escaped.text, "ab\\x1bcd\\u{202e}e");
        for (at, want) in [(0, 0), (2, 2), (3, 6), (5, 8), (8, 16), (9, 17)] {
            assert_eq!(escaped.offset(at), want, "offset {at}");
            assert_eq!(
                &escaped.text[escaped.offset(at)..],
                escape_text(&text[at..]),
                "offset {at}"
            );
        }
    }
}
