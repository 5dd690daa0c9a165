//! Reading a file into something every later step can trust: raw bytes for
//! the parser and the rewriter (never altered, so nothing is lost), and a
//! display text with the same byte offsets for reports.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Location, Position, Span};

/// A C file as read from disk.
#[derive(Clone)]
pub struct Source {
    /// The path as shown to the user.
    pub display_path: String,
    /// The path to open.
    pub path: PathBuf,
    /// The bytes as read. The parser and the rewriter work on these.
    pub bytes: Vec<u8>,
    line_starts: Vec<usize>,
    /// Each character of `bytes` longer than one byte (valid UTF-8): its
    /// offset, and the bytes beyond the first of it and of every such
    /// character before it; made on the first [`Source::position`], so
    /// that a column costs a binary search, not a count from its line's
    /// start (on one line of 2 MB, a count per reference was quadratic).
    wide: std::sync::OnceLock<Vec<(usize, usize)>>,
    /// For a translation unit's text (a file with its quoted includes
    /// inlined, see [`crate::scan::unit`]): which byte ranges come from
    /// which file, in order. Empty for a plain file.
    pub segments: Vec<Segment>,
}

/// A byte range of a unit's text and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Byte offset in the unit's text where the range starts.
    pub start: usize,
    /// Byte offset in the unit's text just past the range.
    pub end: usize,
    /// The unit member the bytes are copied from (an index into the unit's
    /// member list), or `None` for a line break the unit adds between files.
    pub member: Option<usize>,
    /// Where `start` lies in that member's own bytes.
    pub member_offset: usize,
    /// For a name that a macro of its reading expands to one identifier
    /// (`CACHE_NAME` read as `cache_b`, see
    /// [`crate::scan::unit::Layout::of_live`]): how many of the member's
    /// bytes, from `member_offset`, the range stands for (the unit's text
    /// holds the identifier instead). `None` for bytes copied as they are.
    pub stands_for: Option<usize>,
}

impl Segment {
    /// How many of its member's bytes the range covers.
    pub fn member_len(&self) -> usize {
        self.stands_for.unwrap_or(self.end - self.start)
    }

    /// Where `offset` (within the range) lies in its member's bytes: a
    /// range that stands for a macro's name maps its start to the name's
    /// start and any other offset to its end.
    pub fn member_position(&self, offset: usize) -> usize {
        match self.stands_for {
            Some(len) if offset > self.start => self.member_offset + len,
            Some(_) => self.member_offset,
            None => offset - self.start + self.member_offset,
        }
    }
}

/// Why a file was not scanned.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Opening or reading failed for a reason other than the file being
    /// gone (permissions, I/O error). The only variant that fails the run.
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    /// The file was found by discovery but was gone (`NotFound`) by the time
    /// it was opened or read.
    #[error("file vanished during the scan")]
    Vanished,
    /// A NUL byte among the first 8 KiB; holds its byte offset.
    #[error("binary file (NUL byte at offset {0}), skipped")]
    Binary(usize),
    /// The file is over `--max-file-size`.
    #[error("file is {size} bytes, over the {limit}-byte limit (--max-file-size), skipped")]
    TooLarge {
        /// Its size in bytes (for a file that grew while it was read, the
        /// bytes read, which is `limit + 1`).
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The path names a FIFO, socket or device, not a regular file.
    #[error("not a regular file (a FIFO, socket or device), skipped")]
    NotRegular,
}

impl ReadError {
    /// Whether this should fail the run (exit 2) rather than only be shown.
    pub fn is_error(&self) -> bool {
        matches!(self, ReadError::Io(_))
    }
}

/// The UTF-8 byte order mark some editors put at a file's start. It is
/// not text: columns on line 1 start after it.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How much of the file's start is searched for NUL bytes to spot binaries.
const BINARY_PROBE: usize = 8 * 1024;

impl Source {
    /// Reads the file at `path` (opened without blocking, so a FIFO put in
    /// its place is refused rather than waited on) and checks it as
    /// [`Source::from_bytes`] does. `display_path` is kept for reports;
    /// `max_size` is the limit in bytes, held even against a file that
    /// grows while it is read.
    ///
    /// # Errors
    ///
    /// [`ReadError::Vanished`] when the file is gone, [`ReadError::NotRegular`],
    /// [`ReadError::TooLarge`], [`ReadError::Binary`], and
    /// [`ReadError::Io`] for any other failure to open or read.
    pub fn read(path: &Path, display_path: String, max_size: u64) -> Result<Source, ReadError> {
        let bytes = read_regular(path, max_size)?;
        Source::from_bytes(path.to_path_buf(), display_path, bytes)
    }

    /// A source over `bytes` already in memory (a file read elsewhere or a
    /// unit's text), with no segments; `path` and `display_path` are only
    /// stored.
    ///
    /// # Errors
    ///
    /// [`ReadError::Binary`] when a NUL byte lies within the first 8 KiB.
    pub fn from_bytes(
        path: PathBuf,
        display_path: String,
        bytes: Vec<u8>,
    ) -> Result<Source, ReadError> {
        let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
        if let Some(offset) = memchr::memchr(0, probe) {
            return Err(ReadError::Binary(offset));
        }
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', &bytes).map(|i| i + 1));
        Ok(Source {
            display_path,
            path,
            bytes,
            line_starts,
            wide: std::sync::OnceLock::new(),
            segments: Vec::new(),
        })
    }

    /// The segment holding `offset` (`start <= offset < end`), if any.
    fn segment_at(&self, offset: usize) -> Option<&Segment> {
        let at = self.segments.partition_point(|s| s.end <= offset);
        self.segments.get(at).filter(|s| s.start <= offset)
    }

    /// Whether two offsets lie in text of the same file: always true for a
    /// plain file; for a unit's text, true when both come from one member.
    pub fn same_file(&self, a: usize, b: usize) -> bool {
        if self.segments.is_empty() {
            return true;
        }
        let member = |o| self.segment_at(o).and_then(|s| s.member);
        member(a).is_some() && member(a) == member(b)
    }

    /// Where the compiler is back in the including file after an insertion
    /// at `offset`: for a unit's text, the first offset at or after `offset`
    /// that comes from the same file as the byte before it, past the text
    /// of the headers an `#include` line just before `offset` inlines there
    /// (recursively); `offset` itself when nothing is inlined there or for a
    /// plain file; the text's length when the file does not resume.
    pub fn resume_in_file(&self, offset: usize) -> usize {
        if self.segments.is_empty() || offset == 0 {
            return offset;
        }
        let Some(member) = self.segment_at(offset - 1).and_then(|s| s.member) else {
            return offset;
        };
        let after = self.segments.partition_point(|s| s.end <= offset);
        self.segments[after..]
            .iter()
            .find(|s| s.member == Some(member))
            .map_or(self.bytes.len(), |s| s.start.max(offset))
    }

    /// Where the file holding `offset` starts: 0 for a plain file; for a
    /// unit's text, the start of that member's first segment.
    pub fn file_start(&self, offset: usize) -> usize {
        match self.segment_at(offset).and_then(|s| s.member) {
            Some(member) => self
                .segments
                .iter()
                .find(|s| s.member == Some(member))
                .map_or(0, |s| s.start),
            None => 0,
        }
    }

    /// The text for human reports: identical to the file when it is UTF-8,
    /// otherwise each invalid byte becomes `?` so that byte offsets still hold.
    pub fn display_text(&self) -> String {
        match std::str::from_utf8(&self.bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => {
                let mut out = String::with_capacity(self.bytes.len());
                for chunk in self.bytes.utf8_chunks() {
                    out.push_str(chunk.valid());
                    out.extend(std::iter::repeat_n('?', chunk.invalid().len()));
                }
                out
            }
        }
    }

    /// The 1-based line and column of a byte offset. A line ends with LF
    /// (a CR before it, or a lone CR, belongs to the line), as `patch`,
    /// `git apply` and tree-sitter count lines; a column counts characters,
    /// and each byte that is not UTF-8 as one.
    pub fn position(&self, offset: usize) -> Position {
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let mut start = self.line_starts[line];
        if line == 0 && offset >= BOM.len() && self.bytes.starts_with(BOM) {
            start = BOM.len();
        }
        let offset = offset.min(self.bytes.len());
        let column = self.characters_between(start, offset).unwrap_or_else(|| {
            self.bytes[start..offset]
                .utf8_chunks()
                .map(|c| c.valid().chars().count() + c.invalid().len())
                .sum::<usize>()
        });
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The characters of `bytes[start..end]`, counted as
    /// [`Source::position`] counts them (a byte that is not UTF-8 is one),
    /// from the offsets of the file's wide characters: `None` when `end`
    /// cuts one (the slice's count then differs; the caller counts it).
    fn characters_between(&self, start: usize, end: usize) -> Option<usize> {
        let wide = self.wide.get_or_init(|| {
            let mut wide = Vec::new();
            let (mut at, mut extra) = (0, 0);
            if !self.bytes.is_ascii() {
                for chunk in self.bytes.utf8_chunks() {
                    for (i, c) in chunk.valid().char_indices() {
                        if c.len_utf8() > 1 {
                            extra += c.len_utf8() - 1;
                            wide.push((at + i, extra));
                        }
                    }
                    at += chunk.valid().len() + chunk.invalid().len();
                }
            }
            wide
        });
        // The bytes beyond the first of the wide characters that start
        // before `offset`; `None` when the last of them ends after it.
        let extra_before = |offset: usize| -> Option<usize> {
            let n = wide.partition_point(|&(at, _)| at < offset);
            if n == 0 {
                return Some(0);
            }
            let (at, extra) = wide[n - 1];
            let before = if n >= 2 { wide[n - 2].1 } else { 0 };
            let width = extra - before + 1;
            (at + width <= offset).then_some(extra)
        };
        Some(end - start - (extra_before(end)? - extra_before(start)?))
    }

    /// The 1-based line of `offset` in the file its byte comes from: for a
    /// plain file [`Source::position`]'s line; for a unit's text, the line
    /// in that member's own bytes (the lines of the files inlined before it
    /// not counted), as messages that name a line should say it.
    pub fn file_line(&self, offset: usize) -> usize {
        let Some(member) = self.segment_at(offset).and_then(|s| s.member) else {
            return self.position(offset).line;
        };
        let mut line = 1;
        for s in self.segments.iter().filter(|s| s.member == Some(member)) {
            if s.start >= offset {
                break;
            }
            line += memchr::memchr_iter(b'\n', &self.bytes[s.start..s.end.min(offset)]).count();
        }
        line
    }

    /// The span with the 1-based line and column (see [`Source::position`])
    /// of its start and of its end (exclusive: one past the last character).
    pub fn location(&self, span: Span) -> Location {
        Location {
            span,
            start: self.position(span.start),
            end: self.position(span.end),
        }
    }

    /// The bytes of `span` (byte offsets) as text, or `""` when they are
    /// not valid UTF-8. Panics when the span lies outside the file or ends
    /// before it starts.
    pub fn text(&self, span: Span) -> &str {
        std::str::from_utf8(&self.bytes[span.start..span.end]).unwrap_or("")
    }
}

/// The bytes of the regular file at `path` (a symbolic link is followed to
/// the file it names), read with the guards every file oncevar reads from
/// a project needs: opened without blocking (a FIFO is refused rather than
/// waited on, and the open handle is checked, not the path), nothing but a
/// regular file (no FIFO, socket or device: a link to `/dev/zero` is
/// refused), and at most `max_size` bytes, held even against a file that
/// grows while it is read.
///
/// # Errors
///
/// [`ReadError::Vanished`] when the file is gone, [`ReadError::NotRegular`],
/// [`ReadError::TooLarge`], and [`ReadError::Io`] for any other failure to
/// open or read.
pub fn read_regular(path: &Path, max_size: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // A FIFO put in the file's place since it was found must not
        // block the open; the handle is then checked, not the path.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(classify_io)?;
    let meta = file.metadata().map_err(classify_io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    let too_large = |size| ReadError::TooLarge {
        size,
        limit: max_size,
    };
    if meta.len() > max_size {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // A file that grows while it is read is still held to the limit.
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(classify_io)?;
    if bytes.len() as u64 > max_size {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn classify_io(err: std::io::Error) -> ReadError {
    if err.kind() == std::io::ErrorKind::NotFound {
        ReadError::Vanished
    } else {
        ReadError::Io(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(bytes: &[u8]) -> Source {
        Source::from_bytes("x.c".into(), "x.c".into(), bytes.to_vec()).unwrap()
    }

    /// Every offset of texts with wide characters, bytes that are not
    /// UTF-8, truncated sequences and a byte order mark gets the column
    /// that counting from its line's start gives (the count per call was
    /// quadratic on a long line; the column now comes from the offsets of
    /// the wide characters).
    #[test]
    fn columns_from_wide_characters_match_counting_from_the_line_start() {
        let texts: [&[u8]; 5] = [
            b"\xef\xbb\xbfa\xc3\xa9b\n\xe2\x82\xacx = 1; \xf0\x9f\x98\x80y\n",
            b"a\xffb\xe2\x82c\xc3\n\xc3\xa9\xc3\xa9\xc3\xa9\r\xc3\xa9",
            b"plain ascii\nonly\n",
            b"\xe2\x82\xac",
            b"\xef\xbb\xbf\xef\xbb\xbf\xc3",
        ];
        for text in texts {
            let src = source(text);
            for offset in 0..=text.len() + 2 {
                let line = src.line_starts.partition_point(|&s| s <= offset) - 1;
                let mut start = src.line_starts[line];
                if line == 0 && offset >= BOM.len() && text.starts_with(BOM) {
                    start = BOM.len();
                }
                let counted: usize = text[start..offset.min(text.len())]
                    .utf8_chunks()
                    .map(|c| c.valid().chars().count() + c.invalid().len())
                    .sum();
                assert_eq!(
                    src.position(offset).column,
                    counted + 1,
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn positions_count_characters_and_survive_bad_bytes() {
        let s = source(b"ab\r\n\xff\xfe x\n\xc3\xa9y");
        assert_eq!(s.position(0), Position { line: 1, column: 1 });
        assert_eq!(s.position(7), Position { line: 2, column: 4 });
        assert_eq!(s.position(11), Position { line: 3, column: 2 });
        assert_eq!(s.display_text().len(), s.bytes.len());
        assert!(s.display_text().starts_with("ab\r\n?? x"));
    }

    #[test]
    fn a_byte_order_mark_takes_no_column_and_a_lone_cr_ends_no_line() {
        let s = source(b"\xEF\xBB\xBFstatic int *x;\nint y;\r\rz");
        assert_eq!(s.position(3), Position { line: 1, column: 1 });
        assert_eq!(s.position(10), Position { line: 1, column: 8 });
        assert_eq!(s.position(18), Position { line: 2, column: 1 });
        assert_eq!(s.position(26), Position { line: 2, column: 9 });
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.c");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = Source::read(&fifo, "x.c".into(), 1 << 20).err().unwrap();
        assert!(matches!(err, ReadError::NotRegular), "{err}");
    }

    #[test]
    fn binary_files_are_refused() {
        let err = Source::from_bytes("x.c".into(), "x.c".into(), b"int\0".to_vec());
        assert!(matches!(err, Err(ReadError::Binary(3))));
    }
}
