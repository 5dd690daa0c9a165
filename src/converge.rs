//! Fixing until nothing changes, as ruff's `lint_fix` loop does: a fix can
//! become applicable only once another one is applied (tree-sitter's error
//! recovery is not additive: on a broken text, a fix judged by itself can
//! parse worse, and not after another fix), and without the rounds a
//! second `--fix` would change what the first one wrote. Each round
//! applies every applicable fix of its scan; the next scan reads again
//! only the fixed texts and analyses again only the units whose files
//! changed (see [`Rescan`]), until a round applies nothing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{Analysed, Rescan, ScanReport};
use crate::diagnostic::{Code, Edit, Edits, Span};
use crate::fix::apply::{self, FixError, FixTarget, UnsafeFixes};
use crate::scan::source::Source;

/// The most rounds [`fix_until_stable`] applies. Most fixes take one
/// round (the second scan finds nothing more); each round is a scan of
/// the changed units, so the bound is lower than ruff's 100.
pub const MAX_ROUNDS: usize = 10;

/// A file that the rounds changed.
pub struct FixedFile {
    /// The path it is read from and written to.
    pub path: PathBuf,
    /// The path as shown to the user.
    pub display_path: String,
    /// Its bytes as first read.
    pub original: Vec<u8>,
    /// Its text after the last round that changed it.
    pub text: Vec<u8>,
    /// The codes of the sites fixed in it, one per site, over all rounds.
    pub sites: Vec<Code>,
    /// Every edit the rounds made, as byte ranges of `original` (an edit
    /// of a later round that falls in an earlier one's replacement covers
    /// that edit's range).
    pub edits: Edits,
}

/// What [`fix_until_stable`] did.
pub struct Converged {
    /// The files changed, in the order they were first changed (by scan
    /// order within a round).
    pub files: Vec<FixedFile>,
    /// The files whose fixes could not be applied in a round (each with
    /// the first reason): their text is that of the round before, and the
    /// fixes that also edit them were held back in the other files too.
    pub failed: Vec<(PathBuf, String, FixError)>,
    /// The rounds that changed something.
    pub rounds: usize,
    /// False when [`MAX_ROUNDS`] rounds changed something and the last
    /// scan still has fixes to apply (they are not applied).
    pub converged: bool,
    /// The scan of the texts the last round made; `None` when no round
    /// changed anything (the first scan stands).
    pub last: Option<ScanReport>,
}

impl Converged {
    /// The scan of the fixed texts: the last rescan, else `first`.
    pub fn report<'r>(&'r self, first: &'r ScanReport) -> &'r ScanReport {
        self.last.as_ref().unwrap_or(first)
    }

    /// What [`Converged::report`] kept for a [`Rescan`], moved out.
    pub fn take_analysed(&mut self, first: &mut ScanReport) -> Analysed {
        std::mem::take(&mut self.last.as_mut().unwrap_or(first).analysed)
    }
}

/// Applies the fixes of `first` that `unsafe_fixes` selects to every file
/// whose path `accepted` allows, then `rescan`s the fixed texts and applies
/// what that scan finds, round after round (at most [`MAX_ROUNDS`]) until a
/// round changes nothing. Nothing is written: the texts are in the result.
/// Each round is judged as a fresh run on its input would be (a fix is
/// applied to all of its files or to none, and a file's fixes are refused
/// when its text would parse worse), and a file changed again may not
/// have more errors than when first read ([`FixTarget::limit`]).
///
/// `first` should be scanned with [`crate::check::ScanOptions::keep_units`],
/// and `rescan` should scan the same paths with the same options and the
/// [`Rescan`] it is given (keeping units too): its files are then read
/// again, and its units analysed again, only where a round changed a file
/// (its `analysed` is taken).
///
/// # Errors
///
/// Those of `rescan`, as they come.
pub fn fix_until_stable<E>(
    first: &mut ScanReport,
    unsafe_fixes: UnsafeFixes,
    accepted: &dyn Fn(&Path) -> bool,
    mut rescan: impl FnMut(Arc<Rescan>) -> Result<ScanReport, E>,
) -> Result<Converged, E> {
    let mut earlier = std::mem::take(&mut first.analysed);
    // The text of every file changed so far, shared with each rescan.
    let mut texts: HashMap<PathBuf, Arc<[u8]>> = HashMap::new();
    let mut files: Vec<FixedFile> = Vec::new();
    let mut index: HashMap<PathBuf, usize> = HashMap::new();
    // The errors a report shows of each changed file as first read.
    let mut originally: HashMap<PathBuf, usize> = HashMap::new();
    let mut failed: Vec<(PathBuf, String, FixError)> = Vec::new();
    let mut last: Option<ScanReport> = None;
    let mut rounds = 0;
    loop {
        let report: &ScanReport = last.as_ref().unwrap_or(first);
        let targets: Vec<FixTarget> = report
            .fix_targets()
            .into_iter()
            .map(|t| FixTarget {
                limit: originally.get(&t.source.path).copied(),
                ..t
            })
            .collect();
        let mut changed: HashSet<PathBuf> = HashSet::new();
        let mut round: Vec<Changed> = Vec::new();
        for f in apply::fix_files(&targets, unsafe_fixes) {
            let source = f.source;
            if !accepted(&source.path) {
                continue;
            }
            match f.result {
                Ok(Some(text)) => round.push(Changed {
                    source,
                    text,
                    sites: f.sites,
                    edits: f.edits,
                    errors: f.errors,
                }),
                Ok(None) => {}
                Err(e) => {
                    if !failed.iter().any(|(path, _, _)| *path == source.path) {
                        failed.push((source.path.clone(), source.display_path.clone(), e));
                    }
                }
            }
        }
        if round.is_empty() || rounds == MAX_ROUNDS {
            let converged = round.is_empty();
            drop(round);
            if last.is_none() {
                first.analysed = earlier;
            }
            return Ok(Converged {
                files,
                failed,
                rounds,
                converged,
                last,
            });
        }
        rounds += 1;
        for Changed {
            source,
            text,
            sites,
            edits,
            errors,
        } in round
        {
            let path = &source.path;
            changed.insert(path.clone());
            texts.insert(path.clone(), Arc::from(&text[..]));
            match index.get(path) {
                Some(&i) => {
                    let file = &mut files[i];
                    file.edits = compose(&file.path, &file.original, &file.edits, &edits);
                    file.text = text;
                    file.sites.extend(sites);
                }
                None => {
                    originally.insert(path.clone(), errors.reported);
                    index.insert(path.clone(), files.len());
                    files.push(FixedFile {
                        path: path.clone(),
                        display_path: source.display_path.clone(),
                        original: source.bytes.clone(),
                        text,
                        sites,
                        edits,
                    });
                }
            }
        }
        if let Some(report) = &mut last {
            earlier = std::mem::take(&mut report.analysed);
        }
        // The map of shared texts is copied, not the texts.
        last = Some(rescan(Arc::new(Rescan {
            texts: texts.clone(),
            changed,
            earlier: std::mem::take(&mut earlier),
        }))?);
    }
}

/// A file a round changed.
struct Changed<'r> {
    /// The file as the round's scan read it.
    source: &'r Source,
    /// Its text after the round.
    text: Vec<u8>,
    /// The codes of the sites the round fixed in it.
    sites: Vec<Code>,
    /// The round's edits, as byte ranges of `source`'s text.
    edits: Edits,
    /// The errors of `source`'s text.
    errors: crate::analysis::parse::ErrorCount,
}

/// The edits `first` (ranges of `original`) and then `then` (ranges of the
/// text `first` made) as ranges of `original`, sorted: an edit of `then`
/// that touches text an edit of `first` wrote covers that edit's range,
/// and one that only touches `original`'s text is moved back by what
/// `first` inserted before it. The replacements are kept as they are (they
/// say what was written, not what the range held). `path` names the file
/// for the positions of the moved edits.
fn compose(path: &Path, original: &[u8], first: &Edits, then: &Edits) -> Edits {
    let source = Source::from_bytes(path.to_owned(), String::new(), original.to_vec()).ok();
    let back = |at: usize, end: bool| -> usize {
        // Walk `first` in order: `shift` is what the edits before `at`
        // added to the text.
        let mut shift: isize = 0;
        for e in first.iter() {
            let span = e.location.span;
            let start = span.start.wrapping_add_signed(shift);
            let written = start + e.replacement.len();
            if at < start || (at == start && !end) {
                break;
            }
            if at < written || (at == written && end && written > start) {
                return if end { span.end } else { span.start };
            }
            shift += e.replacement.len() as isize - (span.end - span.start) as isize;
        }
        at.wrapping_add_signed(-shift)
    };
    let moved = then.iter().map(|e| {
        let span = Span {
            start: back(e.location.span.start, false),
            end: back(e.location.span.end, true),
        };
        let location = source.as_ref().map_or(e.location, |s| s.location(span));
        Edit {
            location,
            ..e.clone()
        }
    });
    Edits::new(first.iter().cloned().chain(moved))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply::tests::edit;

    fn spans(edits: &Edits) -> Vec<(usize, usize)> {
        edits
            .iter()
            .map(|e| (e.location.span.start, e.location.span.end))
            .collect()
    }

    /// A later round's edit is placed in the original text: moved back by
    /// what the first round inserted before it, or over the first
    /// round's edit whose text it touches.
    #[test]
    fn later_edits_are_placed_in_the_original() {
        let original = b"a = b;\nc = d;\n";
        // "#\n" inserted at 0, "b" (4..5) written as "XY".
        let first = Edits::new([edit(0, 0, "#\n"), edit(4, 5, "XY")]);
        // In "#\na = XY;\nc = d;\n": "c" at 10..11, and "XY" at 6..8.
        let then = Edits::new([edit(10, 11, "Z"), edit(6, 8, "W")]);
        let all = compose(Path::new("x.c"), original, &first, &then);
        assert_eq!(spans(&all), vec![(0, 0), (4, 5), (4, 5), (7, 8)]);
        let moved = all.iter().find(|e| e.replacement == "Z").unwrap();
        assert_eq!(moved.location.start.line, 2);
    }
}
