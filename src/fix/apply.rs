//! Applying fixes: a file's edits gathered from every fix that edits it
//! (sorted and once each by [`Edits`], the one place that orders them),
//! overlaps rejected, applied, the result re-parsed and refused when it
//! parses worse than the input, and files written atomically, refusing a
//! file that changed since it was read.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::parse;
use crate::diagnostic::{Applicability, Code, Diagnostic, Edit, Edits};
use crate::scan::source::Source;

/// Why a file's fixes were not applied; the file is left as it was.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum FixError {
    /// An edit starts before the previous one ends, or ends past the end of
    /// the file. Byte offsets.
    #[error("edits overlap at bytes {first}..{second}; the file is left unchanged")]
    Overlap {
        /// Where the previous edit ends (0 for the first edit).
        first: usize,
        /// Where the offending edit starts.
        second: usize,
    },
    /// The fixed text has more ERROR/MISSING nodes than the input (see
    /// [`parse::error_count`]).
    #[error(
        "the fixed file would parse worse ({after} syntax errors, {before} before); \
         the file is left unchanged"
    )]
    ParsesWorse {
        /// The input's count.
        before: usize,
        /// The fixed text's count (`usize::MAX` when it did not parse).
        after: usize,
    },
    /// The file on disk no longer holds the bytes that were analysed, or is
    /// gone.
    #[error("file changed since it was read; rerun oncevar")]
    Changed,
    /// Writing the fixed file failed or was refused (not a regular file,
    /// hard links, an owner that cannot be kept); holds the reason.
    #[error("cannot write the fixed file: {0}")]
    Write(String),
}

/// The user's choice about unsafe fixes (`--unsafe-fixes`), as ruff names
/// it: which [`Applicability`] a fix needs before `--fix` or `--diff`
/// applies it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnsafeFixes {
    /// Only safe fixes are applied (the default).
    #[default]
    Disabled,
    /// Unsafe fixes are applied too; display-only fixes never are.
    Enabled,
}

impl UnsafeFixes {
    /// The least trusted fix this choice applies.
    pub fn required_applicability(self) -> Applicability {
        match self {
            UnsafeFixes::Disabled => Applicability::Safe,
            UnsafeFixes::Enabled => Applicability::Unsafe,
        }
    }
}

impl From<bool> for UnsafeFixes {
    /// `true` (`--unsafe-fixes` given) is `Enabled`.
    fn from(enabled: bool) -> Self {
        if enabled {
            UnsafeFixes::Enabled
        } else {
            UnsafeFixes::Disabled
        }
    }
}

/// Applies sorted, de-duplicated edits to `bytes` (each edit's
/// `location.span` is a byte range of `bytes`; its path is not looked at).
/// Insertions (empty spans) at one offset keep their order; any other
/// shared byte is an overlap.
///
/// # Errors
///
/// [`FixError::Overlap`] when an edit starts before the previous one ends
/// (unsorted input included) or ends past the end of `bytes`.
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
/// which has `before` errors: no more ERROR/MISSING nodes than
/// `before.count`, reading each edit's `parse_as` where it has one; and
/// no more errors outside the runtime's declaration macros (the errors a
/// report shows, [`parse::ParseErrors::reported`]) in the fixed text
/// itself than `before.reported`: a declaration glued to the token before
/// it (`x = 1Py_ONCEVAR_DECLARE(...)` in a broken file) is not read as
/// one, and its errors were reported after `--fix` although the text read
/// with `parse_as` parsed no worse. The reported errors are compared with
/// the reported errors: with all of them, an earlier fix's declarations
/// (which count, and are not reported) let a later fix add errors a
/// report shows. Returns the fixed bytes (with each edit's
/// `replacement`, not its `parse_as`).
///
/// # Errors
///
/// [`FixError::Overlap`] as [`apply_edits`], and [`FixError::ParsesWorse`]
/// when the result has more errors than `before` (of either kind).
pub fn fixed_text(
    parser: &mut tree_sitter::Parser,
    bytes: &[u8],
    before: parse::ErrorCount,
    edits: &Edits,
) -> Result<Vec<u8>, FixError> {
    let fixed = apply_edits(bytes, edits)?;
    let view: Vec<Edit> = edits
        .iter()
        .map(|e| Edit {
            path: e.path.clone(),
            location: e.location,
            replacement: e.parse_as.clone().unwrap_or_else(|| e.replacement.clone()),
            parse_as: None,
        })
        .collect();
    let view_text = apply_edits(bytes, &view)?;
    let (after, clean) = match parse::parse_keeping_read(parser, &view_text) {
        Ok((tree, read)) => (parse::error_count(&tree), read.map(|read| (tree, read))),
        Err(_) => (usize::MAX, None),
    };
    if after > before.count {
        return Err(FixError::ParsesWorse {
            before: before.count,
            after,
        });
    }
    if view_text != fixed {
        // The fixed text differs from the view only in the edits read
        // with `parse_as`: when the view parsed cleanly, the fixed text is
        // parsed again from the view's tree, and parsed afresh only when
        // that shows errors outside the runtime's declarations.
        let reparsed_clean = clean.is_some_and(|(tree, read)| {
            parse::reparse(parser, &tree, &read, &fixed, &view_changes(edits, &view))
                .is_some_and(|t| parse::errors(&t, &fixed).reported == 0)
        });
        if !reparsed_clean {
            let reported = parse::parse(parser, &fixed)
                .map_or(usize::MAX, |t| parse::errors(&t, &fixed).reported);
            if reported > before.reported {
                return Err(FixError::ParsesWorse {
                    before: before.reported,
                    after: reported,
                });
            }
        }
    }
    Ok(fixed)
}

/// [`fixed_text`]'s verdict on `edits` of the text `broken` holds,
/// which has `before` errors, without parsing the whole text: each edited
/// text is parsed again around the edits from `broken`'s tree
/// ([`parse::BrokenText::counts_after`]). `None` when that cannot tell,
/// and [`fixed_text`] must.
///
/// # Errors
///
/// [`FixError::ParsesWorse`] as [`fixed_text`].
pub fn parses_worse_quickly(
    parser: &mut tree_sitter::Parser,
    broken: &parse::BrokenText,
    before: parse::ErrorCount,
    edits: &Edits,
) -> Option<Result<(), FixError>> {
    let spans = |e: &Edit| e.location.span.start..e.location.span.end;
    let view: Vec<parse::TextEdit> = edits
        .iter()
        .map(|e| {
            (
                spans(e),
                e.parse_as.as_ref().unwrap_or(&e.replacement).as_bytes(),
            )
        })
        .collect();
    let after = broken.counts_after(parser, &view)?;
    if after.count > before.count {
        return Some(Err(FixError::ParsesWorse {
            before: before.count,
            after: after.count,
        }));
    }
    if edits
        .iter()
        .all(|e| e.parse_as.as_ref().is_none_or(|p| *p == e.replacement))
    {
        return Some(Ok(()));
    }
    let fixed: Vec<parse::TextEdit> = edits
        .iter()
        .map(|e| (spans(e), e.replacement.as_bytes()))
        .collect();
    let after = broken.counts_after(parser, &fixed)?;
    Some(if after.reported > before.reported {
        Err(FixError::ParsesWorse {
            before: before.reported,
            after: after.reported,
        })
    } else {
        Ok(())
    })
}

/// For each of `fixes`, the edits of a fix of the text `broken` holds:
/// `true` when it is told without parsing the text per fix that
/// [`fixed_text`] would find it no worse (the text has the same errors with
/// it: [`parse::BrokenText::unchanged_together`], reading each edit's
/// `parse_as` where it has one, then, for the fixes with such an edit,
/// the errors a report shows with the edits' own text). `false` where
/// that cannot tell: [`parses_worse_quickly`] or [`fixed_text`] must.
pub fn unchanged_quickly(
    parser: &mut tree_sitter::Parser,
    broken: &parse::BrokenText,
    fixes: &[&Edits],
) -> Vec<bool> {
    /// Each edit read as tree-sitter reads it (`read`) or as written.
    fn view(edits: &Edits, read: bool) -> Vec<parse::TextEdit<'_>> {
        let spans = |e: &Edit| e.location.span.start..e.location.span.end;
        edits
            .iter()
            .map(|e| {
                let text = match &e.parse_as {
                    Some(parse_as) if read => parse_as,
                    _ => &e.replacement,
                };
                (spans(e), text.as_bytes())
            })
            .collect()
    }
    let views: Vec<Vec<parse::TextEdit>> = fixes.iter().map(|f| view(f, true)).collect();
    let refs: Vec<&[parse::TextEdit]> = views.iter().map(Vec::as_slice).collect();
    let mut unchanged = broken.unchanged_together(parser, &refs, false);
    let read_as: Vec<usize> = (0..fixes.len())
        .filter(|&i| {
            unchanged[i]
                && fixes[i]
                    .iter()
                    .any(|e| e.parse_as.as_ref().is_some_and(|p| *p != e.replacement))
        })
        .collect();
    if !read_as.is_empty() {
        let own: Vec<Vec<parse::TextEdit>> =
            read_as.iter().map(|&i| view(fixes[i], false)).collect();
        let refs: Vec<&[parse::TextEdit]> = own.iter().map(Vec::as_slice).collect();
        let verdicts = broken.unchanged_together(parser, &refs, true);
        for (&i, ok) in read_as.iter().zip(verdicts) {
            unchanged[i] &= ok;
        }
    }
    unchanged
}

/// `fixed`, unless it has more errors outside the runtime's declarations
/// than `limit` (see [`FixTarget::limit`]).
///
/// # Errors
///
/// [`FixError::ParsesWorse`] when it has.
fn within(
    parser: &mut tree_sitter::Parser,
    fixed: Vec<u8>,
    limit: usize,
) -> Result<Vec<u8>, FixError> {
    let after =
        parse::parse(parser, &fixed).map_or(usize::MAX, |t| parse::errors(&t, &fixed).reported);
    if after > limit {
        return Err(FixError::ParsesWorse {
            before: limit,
            after,
        });
    }
    Ok(fixed)
}

/// Where the text `view` (the edits applied with their `parse_as`) differs
/// from the fixed text (applied with their `replacement`): for each edit
/// with a `parse_as` of its own, the range of its `parse_as` in the view
/// and the length of its `replacement`, in order.
fn view_changes(edits: &[Edit], view: &[Edit]) -> Vec<(std::ops::Range<usize>, usize)> {
    let mut changes = Vec::new();
    let mut shift = 0isize;
    for (edit, read) in edits.iter().zip(view) {
        let span = edit.location.span;
        let start = span.start.wrapping_add_signed(shift);
        let (read_len, len) = (read.replacement.len(), edit.replacement.len());
        if read.replacement != edit.replacement {
            changes.push((start..start + read_len, len));
        }
        shift += read_len as isize - (span.end - span.start) as isize;
    }
    changes
}

/// A file's fixed text (`None`: nothing to apply), or why it cannot be fixed.
pub type FixResult = Result<Option<Vec<u8>>, FixError>;

/// A file that fixes may edit: what [`fix_files`] reads of it.
#[derive(Clone, Copy)]
pub struct FixTarget<'r> {
    /// The file as read.
    pub source: &'r Source,
    /// The findings reported in it (none for a file that only other files'
    /// fixes edit).
    pub diagnostics: &'r [Diagnostic],
    /// ERROR and MISSING nodes in its parse when it was parsed alone;
    /// `None` makes [`fix_files`] parse it.
    pub parse_errors: Option<parse::ErrorCount>,
    /// The most errors outside the runtime's declarations
    /// ([`parse::ParseErrors::reported`]) that its fixed text may have,
    /// besides parsing no worse than `source`: for a text that earlier
    /// rounds of fixes made, those of the file as first read, so that the
    /// rounds together never leave it parsing worse than it was. `None`:
    /// no bound but `source`'s.
    pub limit: Option<usize>,
}

/// The fixed text of one file, or why it cannot be fixed.
pub struct FileFix<'r> {
    /// The file, one of the targets.
    pub source: &'r Source,
    /// `Ok(None)`: nothing to apply in this file.
    pub result: FixResult,
    /// The codes of the sites reported in this file whose fix is
    /// applicable and not held back, one per site in report order; they
    /// are what was fixed only when `result` is `Ok(Some(_))`.
    pub sites: Vec<Code>,
    /// The edits the fixed text applies to this file (sorted, once each);
    /// empty unless `result` is `Ok(Some(_))`.
    pub edits: Edits,
    /// ERROR and MISSING nodes of the text the edits were applied to (none
    /// when there were no edits to apply).
    pub errors: parse::ErrorCount,
}

/// Plans the fixed text of every file with applicable fixes, in parallel.
/// A fix may edit several files (the uses of a site spread over its
/// translation unit): it is applied to all of them or to none, so when one
/// file cannot be fixed, the fixes that also edit it are held back in the
/// other files too (and the held-back file reports why). `unsafe_fixes`
/// chooses the fixes by their applicability. One entry per target, in the
/// targets' order.
pub fn fix_files<'r>(targets: &[FixTarget<'r>], unsafe_fixes: UnsafeFixes) -> Vec<FileFix<'r>> {
    let diagnostics: Vec<&Diagnostic> = targets.iter().flat_map(|t| t.diagnostics).collect();
    let applies = |d: &Diagnostic| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applies(unsafe_fixes.required_applicability()))
    };
    // Files whose fixing failed: the fixes that touch them are held back.
    let mut failed: HashMap<&str, FixError> = HashMap::new();
    loop {
        let held = |d: &Diagnostic| {
            d.fix.as_ref().is_some_and(|f| {
                f.edits()
                    .iter()
                    .any(|e| failed.contains_key(e.path.as_str()))
            })
        };
        let mut by_path: HashMap<&str, Edits> = HashMap::new();
        for d in diagnostics.iter().filter(|d| applies(d) && !held(d)) {
            let Some(fix) = &d.fix else { continue };
            for edits in fix.edits().chunk_by(|a, b| a.path == b.path) {
                by_path
                    .entry(&edits[0].path)
                    .or_default()
                    .extend(edits.iter().cloned());
            }
        }
        let results: Vec<(Vec<Code>, FixResult, parse::ErrorCount)> = targets
            .par_iter()
            .map(|file| {
                let path = file.source.display_path.as_str();
                if let Some(error) = failed.get(path) {
                    return (Vec::new(), Err(error.clone()), Default::default());
                }
                let sites = file
                    .diagnostics
                    .iter()
                    .filter(|d| applies(d) && !held(d))
                    .map(|d| d.code)
                    .collect();
                let Some(edits) = by_path.get(path) else {
                    return (sites, Ok(None), Default::default());
                };
                let bytes = &file.source.bytes;
                let (result, errors) = parse::with_parser(|parser| {
                    let errors = file.parse_errors.unwrap_or_else(|| {
                        parse::parse(parser, bytes)
                            .map_or(Default::default(), |t| parse::ErrorCount::of(&t, bytes))
                    });
                    let fixed = fixed_text(parser, bytes, errors, edits);
                    let result = match file.limit {
                        Some(limit) => fixed.and_then(|fixed| within(parser, fixed, limit)),
                        None => fixed,
                    };
                    (result, errors)
                });
                (sites, result.map(Some), errors)
            })
            .collect();
        let newly: Vec<(&str, FixError)> = targets
            .iter()
            .zip(&results)
            .filter(|(file, _)| !failed.contains_key(file.source.display_path.as_str()))
            .filter_map(|(file, (_, r, _))| {
                r.as_ref()
                    .err()
                    .map(|e| (file.source.display_path.as_str(), e.clone()))
            })
            .collect();
        let shared = newly.iter().any(|(path, _)| {
            diagnostics
                .iter()
                .filter(|d| applies(d))
                .filter_map(|d| d.fix.as_ref())
                .any(|f| {
                    f.edits().iter().any(|e| e.path == *path)
                        && f.edits().iter().any(|e| e.path != *path)
                })
        });
        failed.extend(newly);
        if !shared {
            return targets
                .iter()
                .zip(results)
                .map(|(file, (sites, result, errors))| {
                    let edits = match &result {
                        Ok(Some(_)) => by_path
                            .get(file.source.display_path.as_str())
                            .cloned()
                            .unwrap_or_default(),
                        _ => Edits::default(),
                    };
                    FileFix {
                        source: file.source,
                        result,
                        sites,
                        edits,
                        errors,
                    }
                })
                .collect();
        }
    }
}

/// What [`write_fixes`] did, file by file, in the targets' order.
#[derive(Default)]
pub struct Written<'r> {
    /// The files written, each with the codes of the sites fixed in it
    /// (one per site).
    pub fixed: Vec<(&'r Source, Vec<Code>)>,
    /// The files that could not be fixed or written, and why; each is left
    /// as it was.
    pub failed: Vec<(&'r Source, FixError)>,
}

impl Written<'_> {
    /// How many sites were fixed.
    pub fn sites(&self) -> usize {
        self.fixed.iter().map(|(_, codes)| codes.len()).sum()
    }
}

/// Applies the fixes `unsafe_fixes` selects to every target whose path
/// `accepted` allows (a verification may have refused some), and writes
/// each fixed file with [`write_atomically`]. A file whose fix fails or
/// whose write fails is left as it was and listed with its error.
pub fn write_fixes<'r>(
    targets: &[FixTarget<'r>],
    unsafe_fixes: UnsafeFixes,
    accepted: &dyn Fn(&Path) -> bool,
) -> Written<'r> {
    let mut written = Written::default();
    for f in fix_files(targets, unsafe_fixes) {
        let source = f.source;
        if !accepted(&source.path) {
            continue;
        }
        let result = f.result.and_then(|text| match text {
            Some(text) => write_atomically(&source.path, &source.bytes, &text).map(|()| true),
            None => Ok(false),
        });
        match result {
            Ok(true) => written.fixed.push((source, f.sites)),
            Ok(false) => {}
            Err(e) => written.failed.push((source, e)),
        }
    }
    written
}

/// Replaces `path`'s contents with `fixed`, provided it still holds
/// `original`, keeping what the file system knew about it:
///
/// * a symbolic link stays a link: the file it names is written, as an
///   editor does;
/// * the mode, owner and group are copied to the new file; a file whose
///   owner or group cannot be kept (another user's file, when not root) is
///   refused, and so is a file with several hard links, which replacing it
///   would split;
/// * the new file is written beside the old one under a name a later run
///   recognises (see [`STAGING_MARK`]) and then swapped in.
///
/// The swap is Linux's `renameat2(RENAME_EXCHANGE)`: the old file is kept
/// under the temporary name until its content is checked once more. A file
/// deleted since it was read makes the swap fail (it does not come back),
/// and an edit saved by rename-over or by a write before the swap puts the
/// old file back. What remains: a process that holds the file open and
/// writes between that last check and the removal of the old file writes
/// into the removed file, and elsewhere than Linux (or on a file system
/// without the exchange) a plain rename after a last check leaves the
/// window of one `read` and one `rename`.
///
/// # Errors
///
/// [`FixError::Changed`] when the file no longer holds `original` or has
/// gone, [`FixError::Write`] when it cannot be written or is refused.
pub fn write_atomically(path: &Path, original: &[u8], fixed: &[u8]) -> Result<(), FixError> {
    let io = |e: std::io::Error| FixError::Write(e.to_string());
    let target = std::fs::canonicalize(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => FixError::Changed,
        _ => io(e),
    })?;
    let metadata = std::fs::metadata(&target).map_err(io)?;
    if !metadata.is_file() {
        return Err(FixError::Write("not a regular file".to_owned()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if metadata.nlink() > 1 {
            return Err(FixError::Write(format!(
                "it has {} hard links, which replacing it would split; \
                 apply the fix from `--diff` instead",
                metadata.nlink()
            )));
        }
    }
    if std::fs::read(&target).map_err(io)? != original {
        return Err(FixError::Changed);
    }
    let temp = staged(&target, fixed).map_err(io)?;
    #[cfg(unix)]
    keep_owner(temp.as_file(), &metadata)?;
    swap_in(temp.into_temp_path(), &target, original)
}

/// Gives `file` the owner and group `metadata` has, if it has not them
/// already (a file created by root belongs to root).
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, metadata: &std::fs::Metadata) -> Result<(), FixError> {
    use std::os::unix::fs::MetadataExt;
    let created = file
        .metadata()
        .map_err(|e| FixError::Write(e.to_string()))?;
    if (created.uid(), created.gid()) == (metadata.uid(), metadata.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(metadata.uid()), Some(metadata.gid())).map_err(|e| {
        FixError::Write(format!(
            "cannot keep its owner and group ({}:{}): {e}; run as its owner or as root",
            metadata.uid(),
            metadata.gid()
        ))
    })?;
    // Changing the owner clears set-user-ID and set-group-ID bits.
    file.set_permissions(metadata.permissions())
        .map_err(|e| FixError::Write(e.to_string()))
}

/// Puts the staged file `temp` in the place of `target`, which must still
/// hold `original` (see [`write_atomically`] for what this guarantees).
fn swap_in(temp: tempfile::TempPath, target: &Path, original: &[u8]) -> Result<(), FixError> {
    let io = |e: std::io::Error| FixError::Write(e.to_string());
    #[cfg(target_os = "linux")]
    match exchange(&temp, target) {
        Ok(()) => {
            // `temp` now names the old file: it must be what was read.
            if std::fs::read(&temp).map_err(io)? == original {
                return Ok(()); // dropping `temp` removes the old file
            }
            return match exchange(&temp, target) {
                Ok(()) => Err(FixError::Changed),
                Err(e) => {
                    let kept = temp.keep().map_err(|k| io(k.error))?;
                    Err(FixError::Write(format!(
                        "the file changed while it was replaced, and putting it back \
                         failed ({e}): its changed version is {}",
                        kept.display()
                    )))
                }
            };
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(FixError::Changed),
        // No exchange on this file system: the plain rename below.
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) => {}
        Err(e) => return Err(io(e)),
    }
    if std::fs::read(target).map_err(io)? != original {
        return Err(FixError::Changed);
    }
    temp.persist(target).map_err(|e| io(e.error))
}

/// Swaps the files at `a` and `b` in one step; both must exist.
///
/// `renameat2` is reached through the raw system call (Linux 3.15), not
/// glibc's wrapper, which only glibc 2.28 has: so the binary runs on any
/// glibc from 2.17 (manylinux2014) and on musl. A kernel without the call
/// answers `ENOSYS`, a file system without the exchange `EINVAL`; the
/// caller then falls back to a plain rename.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call,
    // and the arguments have the types the system call takes.
    let status = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if status == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Writes `contents` to `path` (created, or replaced) through a temporary
/// file in the same directory and an atomic rename, so that a reader, or a
/// run that is killed, sees the old file or the new one, never a part. A
/// replaced file keeps its permissions; a new one gets those of any new
/// file (0666 less the umask). Unlike [`write_atomically`] it does not
/// check what the file held (used for the baseline and the runtime header).
///
/// # Errors
///
/// Those of creating, writing, syncing or renaming the temporary file.
pub fn write_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    staged(path, contents)?.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// What the name of every file oncevar stages holds: `.NAME.oncevar-PID-`
/// and random letters, then `.tmp`. Hidden, so `.gitignore`-style walkers
/// (ripgrep, fd, oncevar's own) skip it; a run that writes into a directory
/// first removes those left there by a run that no longer exists (killed
/// before its rename).
pub const STAGING_MARK: &str = ".oncevar-";

/// The process id in a staged file's name, if `name` is one.
fn staging_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (_, after) = rest.rsplit_once(STAGING_MARK)?;
    after.split_once('-')?.0.parse().ok()
}

/// Removes, in `dir`, the staged files of runs that are gone, once per
/// folder and run: a run that writes N files into one folder reads it
/// once, not N times (`--fix` of 100,000 files in folders of 1,000 read
/// 10 million entries). What a run that is gone left is there before the
/// first write, and this run's own staged files are never stale. Best
/// effort: a file that cannot be removed is left for the next run.
fn remove_stale_staging(dir: &Path) {
    static SWEPT: std::sync::Mutex<Option<HashSet<PathBuf>>> = std::sync::Mutex::new(None);
    let first = SWEPT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get_or_insert_with(HashSet::new)
        .insert(dir.to_owned());
    if !first {
        return;
    }
    #[cfg(test)]
    tests::SWEEPS.with(|n| n.set(n.get() + 1));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(staging_pid) else {
            continue;
        };
        if pid != std::process::id() && !process_exists(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id runs (on systems without `/proc`, every
/// id is taken to run, so nothing is removed).
fn process_exists(pid: u32) -> bool {
    !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists()
}

/// A synced temporary file beside `path` holding `contents`, with the
/// permissions `path` has or, if it does not exist, a new file's.
fn staged(path: &Path, contents: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    remove_stale_staging(dir);
    // Enough of the name to tell whose it is, short of the file system's limit.
    let name: String = (path.file_name().unwrap_or_default().to_string_lossy())
        .chars()
        .take(64)
        .collect();
    let prefix = format!(".{name}{STAGING_MARK}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
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
pub(crate) mod tests {
    use super::*;
    use crate::diagnostic::{Location, Position, Span};

    #[test]
    fn unsafe_fixes_set_the_applicability_threshold() {
        let fix =
            |applicability| crate::diagnostic::Fix::new(applicability, Vec::new(), Vec::new());
        let applied = |choice: UnsafeFixes| {
            [
                Applicability::DisplayOnly,
                Applicability::Unsafe,
                Applicability::Safe,
            ]
            .map(|a| fix(a).applies(choice.required_applicability()))
        };
        assert_eq!(applied(UnsafeFixes::Disabled), [false, false, true]);
        assert_eq!(applied(UnsafeFixes::Enabled), [false, true, true]);
        assert_eq!(UnsafeFixes::from(true), UnsafeFixes::Enabled);
        assert_eq!(UnsafeFixes::default(), UnsafeFixes::Disabled);
    }

    /// An edit of `x.c` replacing `start..end` with `text` (its positions
    /// are not computed).
    pub(crate) fn edit(start: usize, end: usize, text: &str) -> Edit {
        let p = Position { line: 1, column: 1 };
        Edit {
            path: "x.c".to_owned(),
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
        let clean = parse::ErrorCount::default();
        let refused = fixed_text(&mut parser, source, clean, &Edits::new([declare.clone()]));
        assert!(matches!(refused, Err(FixError::ParsesWorse { .. })));
        declare.parse_as = Some("static const char * a;".to_owned());
        let fixed = fixed_text(&mut parser, source, clean, &Edits::new([declare])).unwrap();
        assert_eq!(fixed, b"Py_ONCEVAR_DECLARE(const char *, a);\nint b;\n");
    }

    /// A clean text whose fix declares a site is parsed whole once: the
    /// view (the declaration as the C it expands to); the fixed text is
    /// parsed again from the view's tree. Before, both were parsed from
    /// scratch, twice the bytes (issue 21 item 5: four parses of the file
    /// for `check --diff` with the analysis and the linking).
    #[test]
    fn a_clean_fixed_text_is_parsed_whole_once() {
        let mut parser = parse::new_parser();
        let source =
            "static PyObject *a = NULL;\nint f(void) { return (a != NULL) + 1; }\n".repeat(50);
        let mut declare = edit(0, 26, "Py_ONCEVAR_DECLARE(PyObject *, a);");
        declare.parse_as = Some("static PyObject * a;".to_owned());
        let mut insert = edit(0, 0, "#include \"oncevar.h\"\n");
        insert.parse_as = None;
        let edits = Edits::new([insert, declare]);
        parse::FRESH_BYTES.with(|n| n.set(0));
        let clean = parse::ErrorCount::default();
        let fixed = fixed_text(&mut parser, source.as_bytes(), clean, &edits).unwrap();
        let parsed = parse::FRESH_BYTES.with(std::cell::Cell::get);
        assert!(fixed.starts_with(b"#include \"oncevar.h\"\nPy_ONCEVAR_DECLARE(PyObject *, a);\n"));
        assert!(
            parsed < source.len() * 3 / 2,
            "{parsed} bytes parsed for {}",
            source.len()
        );
    }

    #[test]
    fn rejects_overlaps() {
        let err = apply_edits(b"abcdef", &[edit(0, 3, "x"), edit(2, 4, "y")]);
        assert!(matches!(err, Err(FixError::Overlap { .. })));
    }

    #[test]
    fn refuses_a_result_that_parses_worse() {
        let mut parser = parse::new_parser();
        let clean = parse::ErrorCount::default();
        let err = fixed_text(
            &mut parser,
            b"int x;\n",
            clean,
            &Edits::new([edit(5, 6, "")]),
        );
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
    fn writes_through_a_symlink_to_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.c");
        let link = dir.path().join("link.c");
        std::fs::write(&target, b"old").unwrap();
        std::os::unix::fs::symlink("real.c", &link).unwrap();
        write_atomically(&link, b"old", b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_file_with_hard_links() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.c");
        std::fs::write(&path, b"old").unwrap();
        std::fs::hard_link(&path, dir.path().join("y.c")).unwrap();
        let err = write_atomically(&path, b"old", b"new").unwrap_err();
        assert!(err.to_string().contains("2 hard links"), "{err}");
        assert_eq!(std::fs::read(dir.path().join("y.c")).unwrap(), b"old");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_owner_and_group() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.c");
        std::fs::write(&path, b"old").unwrap();
        // Root (as CI runs) gives the file away; anyone else keeps their own.
        let _ = std::os::unix::fs::chown(&path, Some(4321), Some(4321));
        let before = std::fs::metadata(&path).unwrap();
        write_atomically(&path, b"old", b"new").unwrap();
        let after = std::fs::metadata(&path).unwrap();
        assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }

    #[test]
    fn a_file_deleted_before_the_swap_does_not_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.c");
        std::fs::write(&path, b"old").unwrap();
        let temp = staged(&path, b"new").unwrap().into_temp_path();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(swap_in(temp, &path, b"old"), Err(FixError::Changed));
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_edit_saved_before_the_swap_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.c");
        std::fs::write(&path, b"old").unwrap();
        let temp = staged(&path, b"new").unwrap().into_temp_path();
        std::fs::write(dir.path().join("edit"), b"edited").unwrap();
        std::fs::rename(dir.path().join("edit"), &path).unwrap();
        assert_eq!(swap_in(temp, &path, b"old"), Err(FixError::Changed));
        assert_eq!(std::fs::read(&path).unwrap(), b"edited");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    thread_local! {
        /// The folders [`remove_stale_staging`] read on this thread.
        pub(super) static SWEEPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Writing many files into one folder reads it once for stale staged
    /// files: each write read it again, so `--fix` of N files in one
    /// folder read N * N entries.
    #[test]
    fn a_folder_is_swept_for_stale_staging_once_per_run() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join(".a.c.oncevar-4294967295-AbCdEf.tmp");
        std::fs::write(&gone, b"partial").unwrap();
        let before = SWEEPS.with(std::cell::Cell::get);
        for i in 0..20 {
            let path = dir.path().join(format!("f{i}.c"));
            std::fs::write(&path, b"old").unwrap();
            write_atomically(&path, b"old", b"new").unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), b"new");
        }
        assert_eq!(SWEEPS.with(std::cell::Cell::get) - before, 1);
        assert!(!gone.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 20);
    }

    #[test]
    fn staged_files_of_runs_that_are_gone_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.c");
        std::fs::write(&path, b"old").unwrap();
        // No process has the largest id; this one runs.
        let gone = dir.path().join(".x.c.oncevar-4294967295-AbCdEf.tmp");
        let running = dir
            .path()
            .join(format!(".y.c.oncevar-{}-AbCdEf.tmp", std::process::id()));
        std::fs::write(&gone, b"partial").unwrap();
        std::fs::write(&running, b"partial").unwrap();
        write_atomically(&path, b"old", b"new").unwrap();
        assert!(!gone.exists());
        assert!(running.exists());
        assert_eq!(staging_pid(".x.c.oncevar-12-abc.tmp"), Some(12));
        assert_eq!(staging_pid("x.c"), None);
        assert_eq!(staging_pid(".x.oncevar-12-abc.c"), None);
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
