//! Unified diffs of fixed files, with `a/` and `b/` paths relative to the
//! current directory, so `git apply` and `patch -p1` take them as they are.
//!
//! A diff is made of the file's raw bytes, never a decoded text: non-UTF-8
//! bytes reach the patch unchanged. Lines are what `patch` and `git apply`
//! take a line to be, and what positions count ([`crate::scan::source`]): a
//! run of bytes ended by LF. A CR before the LF, or a lone CR, is part of
//! the line.
//!
//! File names are the files' own bytes, written as git writes them in its
//! diffs (`quote_c_style` in git's `quote.c`, and the tab `diff.c` puts
//! after a name with a space), which both `git apply` and GNU `patch` read
//! back: a name holding a double quote, a backslash, a control character
//! or a byte of 128 or more is put in double quotes with C escapes (`\t`,
//! `\n`, `\"`, `\\`, and three octal digits for the other bytes), and a
//! name with a space ends with a tab, so that `patch` does not take what
//! follows the space for a date. Before, names were written as the reports
//! show them (`a\\b.c` for `a\b.c`), which named another file or none.

use std::io::{self, Write};
use std::path::Path;

use similar::udiff::UnifiedHunkHeader;
use similar::{Algorithm, DiffTag};

/// The path to put after `a/` and `b/`, as the file name's bytes: an
/// absolute `path` under `cwd` loses that prefix (a relative one is kept as
/// given, without a leading `./`). An absolute path elsewhere stays
/// absolute.
pub fn patch_path(path: &Path, cwd: &Path) -> Vec<u8> {
    let relative = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    #[cfg(unix)]
    return std::os::unix::ffi::OsStrExt::as_bytes(relative.as_os_str()).to_vec();
    #[cfg(not(unix))]
    return relative.to_string_lossy().into_owned().into_bytes();
}

/// `name` as git writes a path in a diff header: as it is, or in double
/// quotes with C escapes when it holds a double quote, a backslash, a
/// control character or a byte of 128 or more (git's `quote_c_style` with
/// `core.quotePath` on, its default).
pub fn git_quoted(name: &[u8]) -> Vec<u8> {
    let must_quote = |b: u8| !(0x20..0x7f).contains(&b) || b == b'"' || b == b'\\';
    if !name.iter().copied().any(must_quote) {
        return name.to_vec();
    }
    let mut out = Vec::with_capacity(name.len() + 8);
    out.push(b'"');
    for &b in name {
        let escape = match b {
            0x07 => Some(b'a'),
            0x08 => Some(b'b'),
            b'\t' => Some(b't'),
            b'\n' => Some(b'n'),
            0x0b => Some(b'v'),
            0x0c => Some(b'f'),
            b'\r' => Some(b'r'),
            b'"' | b'\\' => Some(b),
            _ => None,
        };
        match escape {
            Some(c) => out.extend_from_slice(&[b'\\', c]),
            None if must_quote(b) => out.extend_from_slice(&[
                b'\\',
                b'0' + (b >> 6),
                b'0' + ((b >> 3) & 7),
                b'0' + (b & 7),
            ]),
            None => out.push(b),
        }
    }
    out.push(b'"');
    out
}

/// A `---` or `+++` header line for `path` under `prefix` (`a/`, `b/`).
fn header(out: &mut dyn Write, marker: &str, prefix: &[u8], path: &[u8]) -> io::Result<()> {
    let name = [prefix, path].concat();
    out.write_all(marker.as_bytes())?;
    out.write_all(&git_quoted(&name))?;
    if path.contains(&b' ') {
        out.write_all(b"\t")?;
    }
    out.write_all(b"\n")
}

/// `bytes` cut after each LF; the last line may lack one.
fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').collect()
}

/// Writes the unified diff of one file (nothing if unchanged), byte for
/// byte: `old` and `new` are the file's contents before and after, `path`
/// (the file name's bytes, see [`patch_path`]) goes after `a/` and `b/`,
/// quoted as git quotes it (see the module's doc). The format is GNU diff's
/// unified format (`---`/`+++` headers, `@@ -l,n +l,n @@` hunks with
/// 1-based line numbers, three lines of context, `\ No newline at end of
/// file`).
///
/// # Errors
///
/// Only those of writing to `out`.
pub fn write_unified(out: &mut dyn Write, path: &[u8], old: &[u8], new: &[u8]) -> io::Result<()> {
    if old == new {
        return Ok(());
    }
    let (old_lines, new_lines) = (lines(old), lines(new));
    let ops = similar::capture_diff_slices(Algorithm::Myers, &old_lines, &new_lines);
    header(out, "--- ", b"a/", path)?;
    header(out, "+++ ", b"b/", path)?;
    for hunk in similar::group_diff_ops(ops, 3) {
        writeln!(out, "{}", UnifiedHunkHeader::new(&hunk))?;
        for op in &hunk {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            let (removed, added) = match tag {
                DiffTag::Equal => {
                    for line in &old_lines[old_range] {
                        write_line(out, b' ', line)?;
                    }
                    continue;
                }
                DiffTag::Delete => (&old_lines[old_range], &[][..]),
                DiffTag::Insert => (&[][..], &new_lines[new_range]),
                DiffTag::Replace => (&old_lines[old_range], &new_lines[new_range]),
            };
            for line in removed {
                write_line(out, b'-', line)?;
            }
            for line in added {
                write_line(out, b'+', line)?;
            }
        }
    }
    Ok(())
}

/// One diff line; a last line without LF gets the marker `patch` expects.
fn write_line(out: &mut dyn Write, tag: u8, line: &[u8]) -> io::Result<()> {
    out.write_all(&[tag])?;
    out.write_all(line)?;
    if !line.ends_with(b"\n") {
        out.write_all(b"\n\\ No newline at end of file\n")?;
    }
    Ok(())
}

/// Applies a diff made by [`write_unified`] for one file to `old`, exactly
/// as `patch` does with no fuzz: every context and removed line must match
/// byte for byte at the line the hunk names. Returns the patched bytes, or
/// `None` if the diff does not apply or is malformed. Tests and the fuzz
/// target use it to prove that diffs apply.
pub fn apply_unified(old: &[u8], diff: &[u8]) -> Option<Vec<u8>> {
    let old_lines = lines(old);
    let mut diff_lines = lines(diff).into_iter().peekable();
    let mut out = Vec::with_capacity(old.len());
    let mut at = 0; // next old line not yet copied
    if diff.is_empty() {
        return Some(old.to_vec());
    }
    diff_lines.next().filter(|l| l.starts_with(b"--- "))?;
    diff_lines.next().filter(|l| l.starts_with(b"+++ "))?;
    while let Some(header) = diff_lines.next() {
        let (old_start, old_len, new_len) = hunk_header(header)?;
        // An empty range names the line before it.
        let start = if old_len == 0 {
            old_start
        } else {
            old_start.checked_sub(1)?
        };
        if start < at || start > old_lines.len() {
            return None;
        }
        for line in &old_lines[at..start] {
            out.extend_from_slice(line);
        }
        at = start;
        let (mut seen_old, mut seen_new) = (0, 0);
        while seen_old < old_len || seen_new < new_len {
            let line = diff_lines.next()?;
            let (&tag, body) = line.split_first()?;
            let mut body = body.to_vec();
            if diff_lines.peek().is_some_and(|l| l.starts_with(b"\\ ")) {
                diff_lines.next();
                body.pop().filter(|&b| b == b'\n')?;
            }
            if tag == b' ' || tag == b'-' {
                if old_lines.get(at).copied() != Some(&body[..]) {
                    return None;
                }
                at += 1;
                seen_old += 1;
            }
            if tag == b' ' || tag == b'+' {
                out.extend_from_slice(&body);
                seen_new += 1;
            }
            if !matches!(tag, b' ' | b'-' | b'+') {
                return None;
            }
        }
        if seen_old != old_len || seen_new != new_len {
            return None;
        }
    }
    for line in &old_lines[at..] {
        out.extend_from_slice(line);
    }
    Some(out)
}

/// `@@ -a[,b] +c[,d] @@` as (a, b, d).
fn hunk_header(line: &[u8]) -> Option<(usize, usize, usize)> {
    let text = std::str::from_utf8(line).ok()?;
    let inner = text.strip_prefix("@@ -")?.trim_end().strip_suffix(" @@")?;
    let (old, new) = inner.split_once(" +")?;
    let range = |r: &str| -> Option<(usize, usize)> {
        match r.split_once(',') {
            Some((start, len)) => Some((start.parse().ok()?, len.parse().ok()?)),
            None => Some((r.parse().ok()?, 1)),
        }
    };
    let ((old_start, old_len), (_, new_len)) = (range(old)?, range(new)?);
    Some((old_start, old_len, new_len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(old: &[u8], new: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        write_unified(&mut out, b"m/x.c", old, new).unwrap();
        out
    }

    #[track_caller]
    fn assert_applies(old: &[u8], new: &[u8]) -> Vec<u8> {
        let patch = diff(old, new);
        assert_eq!(
            apply_unified(old, &patch).as_deref(),
            Some(new),
            "{}",
            String::from_utf8_lossy(&patch)
        );
        patch
    }

    #[test]
    fn diffs_use_a_b_prefixes_and_keep_crlf() {
        let text = String::from_utf8(assert_applies(b"a\r\nb\r\n", b"a\r\nc\r\n")).unwrap();
        assert!(
            text.starts_with("--- a/m/x.c\n+++ b/m/x.c\n@@ -1,2 +1,2 @@\n"),
            "{text}"
        );
        assert!(text.contains("-b\r\n+c\r\n"), "{text:?}");
    }

    #[test]
    fn diffs_keep_bytes_that_are_not_utf8() {
        let old = b"/* caf\xe9 */\nint a;\nint b;\n";
        let new = b"/* caf\xe9 */\nint a;\nint c;\n\xff\n";
        let patch = assert_applies(old, new);
        assert!(patch.windows(9).any(|w| w == b" /* caf\xe9 "), "{patch:?}");
        assert!(!patch.windows(3).any(|w| w == "\u{fffd}".as_bytes()));
    }

    #[test]
    fn a_lone_cr_is_not_a_line_break() {
        // Old Mac line ends: one line to patch, and to positions.
        let old = b"#include <a.h>\rstatic int *x;\rint y;\r";
        let new = b"#include <a.h>\r#include \"b.h\"\rstatic int *x;\rint y;\r";
        let patch = assert_applies(old, new);
        let text = String::from_utf8(patch).unwrap();
        assert!(text.contains("@@ -1 +1 @@\n-#include"), "{text:?}");
        assert_eq!(text.matches("\\ No newline at end of file\n").count(), 2);
    }

    #[test]
    fn missing_final_newlines_are_marked() {
        assert_applies(b"a\nb", b"a\nc");
        assert_applies(b"a\nb", b"a\nb\n");
        assert_applies(b"a\nb\n", b"a\nb");
        assert_applies(b"", b"x\n");
        assert_applies(b"x\n", b"");
    }

    #[test]
    fn far_apart_changes_make_separate_hunks() {
        let old: Vec<u8> = (0..40)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let new = String::from_utf8(old.clone())
            .unwrap()
            .replace("line 2\n", "two\n")
            .replace("line 30\n", "")
            .replace("line 39\n", "line 39\nforty\n");
        let patch = assert_applies(&old, new.as_bytes());
        assert_eq!(String::from_utf8(patch).unwrap().matches("@@ -").count(), 3);
    }

    #[test]
    fn a_diff_that_does_not_match_is_refused() {
        let patch = diff(b"a\nb\n", b"a\nc\n");
        assert_eq!(apply_unified(b"a\nx\n", &patch), None);
    }

    #[test]
    fn patch_paths_are_relative_to_the_working_directory() {
        let cwd = Path::new("/work/tree");
        assert_eq!(
            patch_path(Path::new("/work/tree/Modules/x.c"), cwd),
            b"Modules/x.c"
        );
        assert_eq!(patch_path(Path::new("./Modules/x.c"), cwd), b"Modules/x.c");
    }

    /// Quoted as `git diff` quotes them (checked against git 2.47).
    #[test]
    fn names_are_quoted_as_git_quotes_them() {
        let quoted = |name: &[u8]| String::from_utf8(git_quoted(name)).unwrap();
        assert_eq!(quoted(b"a/plain name.c"), "a/plain name.c");
        assert_eq!(quoted(b"a/a\\b.c"), "\"a/a\\\\b.c\"");
        assert_eq!(quoted(b"a/q\"uote.c"), "\"a/q\\\"uote.c\"");
        assert_eq!(
            quoted(b"a/t\tn\nr\rb\x07\x08\x0b\x0c.c"),
            "\"a/t\\tn\\nr\\rb\\a\\b\\v\\f.c\""
        );
        assert_eq!(quoted(b"a/\x1b\x7f\x01.c"), "\"a/\\033\\177\\001.c\"");
        assert_eq!(
            quoted("a/caf\u{e9}\u{202e}.c".as_bytes()),
            "\"a/caf\\303\\251\\342\\200\\256.c\""
        );
        assert_eq!(quoted(b"a/\xe9.c"), "\"a/\\351.c\"");
        let mut out = Vec::new();
        write_unified(&mut out, b"x y.c", b"a\n", b"b\n").unwrap();
        assert!(
            out.starts_with(b"--- a/x y.c\t\n+++ b/x y.c\t\n"),
            "{out:?}"
        );
    }
}
