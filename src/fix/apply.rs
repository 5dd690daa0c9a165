//! Applying fixes: the one place that sorts edits, drops duplicates (sites
//! that share a declaration or the include carry identical edits), rejects
//! overlaps, applies them, re-parses the result and refuses one that parses
//! worse than the input, and writes files atomically, refusing a file that
//! changed since it was read.

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::analysis::parse;
use crate::check::{FileReport, ScanReport};
use crate::diagnostic::{Diagnostic, Edit, Safety};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FixError {
    #[error("edits overlap at bytes {first}..{second}; the file is left unchanged")]
    Overlap { first: usize, second: usize },
    #[error(
        "the fixed file would parse worse ({after} syntax errors, {before} before); \
         the file is left unchanged"
    )]
    ParsesWorse { before: usize, after: usize },
    #[error("file changed since it was read; rerun oncevar")]
    Changed,
    #[error("cannot write the fixed file: {0}")]
    Write(String),
}

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    SafeOnly,
    AlsoUnsafe,
}

impl Applicability {
    pub fn allows(self, safety: Safety) -> bool {
        match safety {
            Safety::Safe => true,
            Safety::Unsafe => self == Applicability::AlsoUnsafe,
            Safety::DisplayOnly => false,
        }
    }
}

/// The edits of the diagnostics whose fixes apply, sorted and de-duplicated.
pub fn selected_edits(diagnostics: &[Diagnostic], applicability: Applicability) -> Vec<Edit> {
    let mut edits: Vec<Edit> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| applicability.allows(f.safety))
        .flat_map(|f| f.edits.iter().cloned())
        .collect();
    edits.sort();
    edits.dedup();
    edits
}

/// Applies sorted, de-duplicated edits to `bytes`. Insertions (empty spans)
/// at one offset keep their order; any other shared byte is an overlap.
pub fn apply_edits(bytes: &[u8], edits: &[Edit]) -> Result<Vec<u8>, FixError> {
    let mut out = Vec::with_capacity(bytes.len() + edits.len() * 16);
    let mut at = 0;
    for edit in edits {
        let span = edit.location.span;
        if span.start < at || span.end > bytes.len() {
            return Err(FixError::Overlap {
                first: at,
                second: span.start,
            });
        }
        out.extend_from_slice(&bytes[at..span.start]);
        out.extend_from_slice(edit.replacement.as_bytes());
        at = span.end;
    }
    out.extend_from_slice(&bytes[at..]);
    Ok(out)
}

/// Applies `edits` and checks the result parses no worse than `bytes`,
/// which has `errors_before` ERROR/MISSING nodes, reading each edit's
/// `parse_as` where it has one.
pub fn fixed_text(
    parser: &mut tree_sitter::Parser,
    bytes: &[u8],
    errors_before: usize,
    edits: &[Edit],
) -> Result<Vec<u8>, FixError> {
    let fixed = apply_edits(bytes, edits)?;
    let view: Vec<Edit> = edits
        .iter()
        .map(|e| Edit {
            location: e.location,
            replacement: e.parse_as.clone().unwrap_or_else(|| e.replacement.clone()),
            parse_as: None,
        })
        .collect();
    let view = apply_edits(bytes, &view)?;
    let after = parse::parse(parser, &view).map_or(usize::MAX, |t| parse::error_count(&t));
    if after > errors_before {
        return Err(FixError::ParsesWorse {
            before: errors_before,
            after,
        });
    }
    Ok(fixed)
}

/// The fixed text of one file, or why it cannot be fixed.
pub struct FileFix<'r> {
    pub file: &'r FileReport,
    /// `Ok(None)`: nothing to apply in this file.
    pub result: Result<Option<Vec<u8>>, FixError>,
    /// Sites whose fix is applied.
    pub sites: usize,
}

/// Plans the fixed text of every file with applicable fixes, in parallel.
pub fn fix_files(report: &ScanReport, applicability: Applicability) -> Vec<FileFix<'_>> {
    report
        .files
        .par_iter()
        .map(|file| {
            let edits = selected_edits(&file.diagnostics, applicability);
            let sites = file
                .diagnostics
                .iter()
                .filter(|d| {
                    d.fix
                        .as_ref()
                        .is_some_and(|f| applicability.allows(f.safety))
                })
                .count();
            let result = if edits.is_empty() {
                Ok(None)
            } else {
                parse::with_parser(|parser| {
                    fixed_text(parser, &file.source.bytes, file.parse_errors, &edits)
                })
                .map(Some)
            };
            FileFix {
                file,
                result,
                sites,
            }
        })
        .collect()
}

/// Replaces `path`'s contents with `fixed`, provided it still holds
/// `original`: a temporary file in the same directory, permissions copied,
/// then an atomic rename. Errors: [`FixError::Changed`] when the file no
/// longer holds `original`, [`FixError::Write`] when it cannot be written.
pub fn write_atomically(path: &Path, original: &[u8], fixed: &[u8]) -> Result<(), FixError> {
    let io = |e: std::io::Error| FixError::Write(e.to_string());
    let current = std::fs::read(path).map_err(io)?;
    if current != original {
        return Err(FixError::Changed);
    }
    let temp = staged(path, fixed).map_err(io)?;
    // A last look: a writer racing us between the check and the rename is
    // the only window left, and it is a rename wide.
    if std::fs::read(path).map_err(io)? != original {
        return Err(FixError::Changed);
    }
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Writes `contents` to `path` (created, or replaced) through a temporary
/// file in the same directory and an atomic rename, so that a reader, or a
/// run that is killed, sees the old file or the new one, never a part. A
/// replaced file keeps its permissions; a new one gets those of any new
/// file (0666 less the umask). Errors are those of creating, writing or
/// renaming the file.
pub fn write_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    staged(path, contents)?.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A synced temporary file beside `path` holding `contents`, with the
/// permissions `path` has or, if it does not exist, a new file's.
fn staged(path: &Path, contents: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".oncevar-");
    #[cfg(unix)]
    {
        // The mode asked for at creation, which the umask then reduces: what
        // `File::create` would have given the file.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    if let Ok(metadata) = std::fs::metadata(path) {
        std::fs::set_permissions(temp.path(), metadata.permissions())?;
    }
    Ok(temp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Location, Position, Span};

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        let p = Position { line: 1, column: 1 };
        Edit {
            location: Location {
                span: Span { start, end },
                start: p,
                end: p,
            },
            replacement: text.to_owned(),
            parse_as: None,
        }
    }

    #[test]
    fn applies_insertions_and_replacements_in_order() {
        let out = apply_edits(
            b"a = b;",
            &[edit(0, 0, "("), edit(0, 1, "x"), edit(4, 5, "y")],
        )
        .unwrap();
        assert_eq!(out, b"(x = y;");
    }

    #[test]
    fn edits_are_judged_as_what_they_expand_to() {
        let mut parser = parse::new_parser();
        let source = b"static const char *a = NULL;\nint b;\n";
        let mut declare = edit(0, 28, "Py_ONCEVAR_DECLARE(const char *, a);");
        let refused = fixed_text(&mut parser, source, 0, std::slice::from_ref(&declare));
        assert!(matches!(refused, Err(FixError::ParsesWorse { .. })));
        declare.parse_as = Some("static const char * a;".to_owned());
        let fixed = fixed_text(&mut parser, source, 0, &[declare]).unwrap();
        assert_eq!(fixed, b"Py_ONCEVAR_DECLARE(const char *, a);\nint b;\n");
    }

    #[test]
    fn rejects_overlaps() {
        let err = apply_edits(b"abcdef", &[edit(0, 3, "x"), edit(2, 4, "y")]);
        assert!(matches!(err, Err(FixError::Overlap { .. })));
    }

    #[test]
    fn refuses_a_result_that_parses_worse() {
        let mut parser = parse::new_parser();
        let err = fixed_text(&mut parser, b"int x;\n", 0, &[edit(5, 6, "")]);
        assert!(matches!(err, Err(FixError::ParsesWorse { before: 0, .. })));
    }

    #[cfg(unix)]
    #[test]
    fn write_file_keeps_a_replaced_files_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_file(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn writes_atomically_and_refuses_changed_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.c");
        std::fs::write(&path, b"old").unwrap();
        write_atomically(&path, b"old", b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(
            write_atomically(&path, b"old", b"newer"),
            Err(FixError::Changed)
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.c");
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"old", b"new").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
}
