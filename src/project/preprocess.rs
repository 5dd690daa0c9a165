//! Which lines each unit's build compiles, as its own preprocessor says:
//! before the scan, every unit of a database the user trusts is run once
//! with its checked command and `-E -fdirectives-only` (GCC; `-E -dD`
//! where the compiler does not know it) (the trust rule of [`crate::project::trust`]
//! decides whether and how: a trusted database, a compiler outside the
//! tree, no flag that loads other code), in parallel, and its output read
//! for line markers and definitions ([`crate::scan::compiled`]). The scan
//! then takes a unit's live `#if` branches from that output instead of
//! oncevar's own evaluator ([`crate::scan::cond`]), which stays for the
//! units that were not run. This is what clangd does with the compiler's
//! own preprocessor too, though it runs it in-process.
//!
//! Nothing is written: the command runs in the unit's folder on the files
//! as they are, its output read from a pipe, under the verifier's guards
//! ([`run_preprocessor`]: a time limit, an output limit, the compiler's
//! memory limit). A unit that includes a FIFO, a device, or a file over
//! [`MAX_MIRRORED_SIZE`] (directly or through a link) is not run: the
//! compiler would hang on it or read without end.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rayon::prelude::*;

use crate::fix::verify::{quoted_closure_with, run_preprocessor, VerifyError, MAX_MIRRORED_SIZE};
use crate::options::AnalysisOptions;
use crate::project::compdb::{Database, Unit};
use crate::project::trust::{CompilerCommand, Refusal, Trust};
use crate::scan::compiled::Compiled;
use crate::scan::index::Index;
use crate::scan::prefilter::{Facts, Traces};
use crate::scan::source::read_regular;

/// The macros whose final state a unit's preprocessor output is read for:
/// `Py_GIL_DISABLED` says whether the build is free-threaded.
pub const WANTED_MACROS: [&str; 1] = ["Py_GIL_DISABLED"];

/// What preprocessing the units found: each run unit's output by the real
/// path of its file, and one warning line per unit that was to run and
/// did not (its branches are then the evaluator's).
pub type Preprocessed = (HashMap<PathBuf, Arc<Compiled>>, Vec<String>);

/// Runs the preprocessor of every unit of `database` whose command `trust`
/// allows (the first entry of each file) and whose project files (its
/// [`crate::fix::verify::quoted_closure`]) may hold a site together, as the prefilter judges
/// with `analysis` ([`Facts::unit_may_hold_site`]: the branches of a unit
/// that holds none change no report), on `jobs` threads (0: one per
/// core), each for at most `timeout`. Lines are kept for the files under
/// `roots` (the project root and the scanned paths). The units of an
/// untrusted database whose compiler the allowlist does not name are not
/// run and give no warning (the database's trust line said so); every
/// other unit that may hold a site and is not run, or whose preprocessor
/// fails, gives a warning naming its file and why. Never fails.
pub fn preprocess_units(
    database: &Database,
    trust: &Trust,
    roots: &[PathBuf],
    analysis: &AnalysisOptions,
    jobs: usize,
    timeout: Duration,
) -> Preprocessed {
    let real_roots: Vec<PathBuf> = roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .collect();
    let keep = |p: &Path| real_roots.iter().any(|r| p.starts_with(r));
    // The units to consider: the first entry of each file under the roots
    // (a unit outside the scan has no branches to decide), with a command
    // the user trusts.
    let mut seen = std::collections::HashSet::new();
    let units: Vec<(&Unit, PathBuf, Result<CompilerCommand, Refusal>)> = database
        .units
        .iter()
        .filter(|u| seen.insert(u.file.clone()))
        .filter_map(|u| {
            let real = std::fs::canonicalize(&u.file).ok().filter(|r| keep(r))?;
            let command = trust.command(u);
            (!matches!(command, Err(Refusal::Untrusted { .. }))).then_some((u, real, command))
        })
        .collect();
    if units.is_empty() {
        return Preprocessed::default();
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .ok();
    let install = |work: &(dyn Fn() + Sync)| match &pool {
        Some(pool) => pool.install(work),
        None => work(),
    };
    // Each unit's project files, every file read once.
    let texts: Mutex<HashMap<PathBuf, Option<Arc<Vec<u8>>>>> = Mutex::new(HashMap::new());
    let read = |file: &Path| -> Option<Arc<Vec<u8>>> {
        if let Some(known) = texts.lock().ok()?.get(file) {
            return known.clone();
        }
        let text = read_regular(file, MAX_MIRRORED_SIZE).ok().map(Arc::new);
        texts.lock().ok()?.insert(file.to_owned(), text.clone());
        text
    };
    let closures: Mutex<Vec<Vec<PathBuf>>> = Mutex::new(Vec::new());
    install(&|| {
        let found: Vec<Vec<PathBuf>> = units
            .par_iter()
            .map(|(u, _, _)| quoted_closure_with(u, roots, &read))
            .collect();
        if let Ok(mut c) = closures.lock() {
            *c = found;
        }
    });
    let closures = closures.into_inner().unwrap_or_default();
    let texts: HashMap<PathBuf, Arc<Vec<u8>>> = texts
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(path, text)| Some((path, text?)))
        .collect();
    // What each file holds: its prefilter facts and what it includes.
    let per_file: Mutex<HashMap<&Path, (Facts, Vec<String>)>> = Mutex::new(HashMap::new());
    install(&|| {
        let found: HashMap<&Path, (Facts, Vec<String>)> = texts
            .par_iter()
            .map(|(path, text)| {
                let includes = crate::scan::cond::definitions(text).includes;
                (path.as_path(), (Index::of(text).facts, includes))
            })
            .collect();
        if let Ok(mut p) = per_file.lock() {
            *p = found;
        }
    });
    let per_file = per_file.into_inner().unwrap_or_default();
    let kinds = Mutex::new(HashMap::new());
    let run = |(unit, real, command): &(&Unit, PathBuf, Result<CompilerCommand, Refusal>),
               closure: &Vec<PathBuf>|
     -> Option<Result<Compiled, String>> {
        let facts: Vec<Traces> = closure
            .iter()
            .filter_map(|f| {
                let (facts, _) = per_file.get(f.as_path())?;
                Some(Traces::new(facts, texts.get(f)?))
            })
            .collect();
        if !facts.is_empty() && !Facts::unit_may_hold_site(&facts, analysis) {
            return None;
        }
        let command = match command {
            Ok(command) => command,
            Err(refusal) => return Some(Err(format!("not run: {refusal}"))),
        };
        let includes = |f: &Path| per_file.get(f).map(|(_, names)| names.as_slice());
        if let Some((file, why)) = hazard(unit, closure, &includes, &kinds) {
            let what = if file == unit.file {
                format!("not run: its file {why}")
            } else {
                format!("not run: it includes {}, {why}", file.display())
            };
            return Some(Err(what));
        }
        let run = |process| run_preprocessor(command, process, timeout, &keep, &WANTED_MACROS);
        let found = match run(command.preprocess_directives(real)) {
            // A compiler without -fdirectives-only (clang) preprocesses
            // the whole text.
            Err(VerifyError::Run { .. }) => run(command.preprocess(real, &[], None)),
            other => other,
        };
        Some(match found {
            // Output about other files (a compiler that ignores -E) says
            // nothing about this unit.
            Ok(found) if !found.files.contains_key(real) => Err(format!(
                "failed: its output does not name {}",
                real.display()
            )),
            Ok(found) => Ok(found),
            Err(e) => Err(format!("failed: {e}")),
        })
    };
    let results: Mutex<Vec<Option<Result<Compiled, String>>>> = Mutex::new(Vec::new());
    install(&|| {
        let found: Vec<_> = units
            .par_iter()
            .zip(&closures)
            .map(|(unit, closure)| run(unit, closure))
            .collect();
        if let Ok(mut r) = results.lock() {
            *r = found;
        }
    });
    let mut compiled = HashMap::new();
    let mut warnings = Vec::new();
    for ((unit, real, _), result) in units.iter().zip(results.into_inner().unwrap_or_default()) {
        match result {
            None => {}
            Some(Ok(found)) => {
                compiled.insert(real.clone(), Arc::new(found));
            }
            Some(Err(why)) => warnings.push(format!(
                "{}: the build's preprocessor (-E) {why}; its #if branches are decided by \
                 oncevar's own evaluator",
                unit.file.display()
            )),
        }
    }
    (compiled, warnings)
}

/// The first file that `unit` may include (by a quoted or angled
/// `#include` of a file of its `closure`, see [`crate::fix::verify::quoted_closure`],
/// resolved in the including file's folder and the unit's include
/// folders) that is not a regular file of at most [`MAX_MIRRORED_SIZE`]
/// bytes, and what it is; `includes(file)` names what a file of the
/// closure includes.
fn hazard<'i>(
    unit: &Unit,
    closure: &[PathBuf],
    includes: &dyn Fn(&Path) -> Option<&'i [String]>,
    kinds: &Mutex<HashMap<PathBuf, Kind>>,
) -> Option<(PathBuf, String)> {
    match std::fs::metadata(&unit.file) {
        Ok(meta) if meta.is_file() && meta.len() <= MAX_MIRRORED_SIZE => {}
        _ => {
            return Some((
                unit.file.clone(),
                "which is missing, not a regular file or too large".to_owned(),
            ))
        }
    }
    for file in closure {
        let Some(names) = includes(file) else {
            continue;
        };
        let own = file.parent().unwrap_or(Path::new("/")).to_owned();
        for name in names.iter() {
            for dir in std::iter::once(&own).chain(&unit.include_dirs) {
                let candidate = dir.join(name);
                let known = kinds.lock().ok()?.get(&candidate).copied();
                let kind = known.unwrap_or_else(|| {
                    let kind = Kind::of(&candidate);
                    if let Ok(mut kinds) = kinds.lock() {
                        kinds.insert(candidate.clone(), kind);
                    }
                    kind
                });
                match kind {
                    Kind::Absent => continue,
                    Kind::Fine => break,
                    Kind::Special => {
                        return Some((
                            candidate,
                            "which is not a regular file (a FIFO or a device)".to_owned(),
                        ))
                    }
                    Kind::Large => {
                        return Some((
                            candidate,
                            format!("which is larger than {} MiB", MAX_MIRRORED_SIZE >> 20),
                        ))
                    }
                }
            }
        }
    }
    None
}

/// What an include's candidate path is, as the compiler would open it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Nothing (or a folder): the compiler looks on.
    Absent,
    /// A regular file within the size limit: the compiler takes it.
    Fine,
    /// A FIFO, a device or a socket (or a link to one).
    Special,
    /// A regular file over [`MAX_MIRRORED_SIZE`].
    Large,
}

impl Kind {
    fn of(path: &Path) -> Kind {
        // Followed through links, as the compiler opens it.
        match std::fs::metadata(path) {
            Err(_) => Kind::Absent,
            Ok(meta) if meta.is_dir() => Kind::Absent,
            Ok(meta) if !meta.is_file() => Kind::Special,
            Ok(meta) if meta.len() > MAX_MIRRORED_SIZE => Kind::Large,
            Ok(_) => Kind::Fine,
        }
    }
}
