//! Verifying a fix with the project's own compiler command: the unit's
//! recorded command from the compilation database, checked by the trust
//! rule ([`crate::project::trust`]), with `-fsyntax-only`, with the runtime
//! header's folder on the include path, run on a mirror of the unit's
//! project files (the `.c` file and the project headers it reaches
//! through quoted includes, in their folders' layout) in a private
//! temporary folder outside the project: once as they are, once with every
//! fixed file among them swapped in. A header's fix is so verified through
//! every unit that includes it, together with the fixes of the unit's
//! other files. The mirror of each of the unit's project include folders
//! comes first on the quoted include path, and the mirrored `.c` file's
//! own folder holds its mirrored neighbours, so every quoted include finds
//! the mirrored (fixed) file first and everything else resolves as before.
//!
//! The project's own files are only read, with the guards of every file
//! oncevar reads (no FIFO, no device, a size limit). The mirror is private:
//! its folders are created `0700` and its files keep their own modes, so
//! no other user reads through it what the project keeps from them. It is
//! removed when the unit is done, and on `SIGINT`, `SIGTERM` or `SIGHUP`
//! by the binary's handler ([`remove_temporary_folders`]); a later run
//! removes the copies that a `SIGKILL` left, once they are an hour old
//! ([`remove_stale_folders`]). A fix whose unit compiled before and fails
//! after is refused.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostic::{Edit, Edits};
use crate::fix::apply::{self, FixTarget, UnsafeFixes};
use crate::project::compdb::{Database, Unit};
use crate::project::trust::{CompilerCommand, Refusal, Trust};
use crate::scan::compiled::{self, Compiled, Lines};
use crate::scan::source::read_regular;

/// How long one compiler run may take by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// What every temporary folder of a verification is named from: a
/// later run recognises the ones a killed run left.
pub const TEMPORARY_PREFIX: &str = "oncevar-verify-";

/// How old a temporary folder of another run must be before a run removes
/// it ([`remove_stale_folders`]): no verification keeps one this long.
pub const STALE_AFTER: Duration = Duration::from_secs(3600);

/// The largest project file copied into a mirror, in bytes (as the scan's
/// default `--max-file-size`).
pub const MAX_MIRRORED_SIZE: u64 = 64 * 1024 * 1024;

/// What verifying one file's fix found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The unit compiles before and after: the fix is verified.
    Verified,
    /// The unit compiled before and fails after; the first compiler error.
    Refused(String),
    /// The unit did not compile before either: nothing can be said (the
    /// fix is not verified, and not refused); the first compiler error.
    BrokenBefore(String),
    /// The unit's command was not run: the trust rule refused it (a
    /// compiler or a flag it does not allow); why.
    NotRun(String),
    /// The unit compiles before and after, but some edited lines lie in a
    /// group the build does not compile (an `#ifdef _MSC_VER` on gcc): the
    /// fixes that make those edits are not verified. Each such edit, with
    /// its line and the group's directive.
    NotCompiled(Vec<Uncompiled>),
}

/// An edit whose line the build does not compile, and why in words
/// (`line 30 is not compiled by this build (`#ifdef _MSC_VER` at line 27)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uncompiled {
    /// The edit.
    pub edit: Edit,
    /// The sentence.
    pub why: String,
}

impl Verdict {
    /// Why a fix that makes `edits` is not verified by this verdict, when
    /// the file is verified but those edits are not all compiled: the
    /// first such edit's sentence.
    pub fn uncompiled<'e>(&self, edits: impl IntoIterator<Item = &'e Edit>) -> Option<&str> {
        let Verdict::NotCompiled(list) = self else {
            return None;
        };
        edits
            .into_iter()
            .find_map(|e| list.iter().find(|u| u.edit == *e))
            .map(|u| u.why.as_str())
    }
}

/// Why a compiler could not be run at all.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum VerifyError {
    /// The command's compiler was not found when it was started.
    #[error("the compiler `{0}` of the compilation database is not installed (or not on PATH)")]
    MissingCompiler(String),
    /// A compiler run took longer than the timeout and was killed.
    #[error("`{command}` did not finish within {seconds}s (killed)")]
    Timeout {
        /// The command line, its words joined by spaces (not quoted).
        command: String,
        /// The timeout, in whole seconds.
        seconds: u64,
    },
    /// The compiler could not be started or waited for (other than not
    /// being found).
    #[error("cannot run `{command}`: {message}")]
    Run {
        /// The command line, its words joined by spaces (not quoted).
        command: String,
        /// The operating system's reason.
        message: String,
    },
    /// A file of the unit could not be read (or is not a regular file, or
    /// is too large), or its copy could not be written to the temporary
    /// mirror (a full disk).
    #[error("cannot copy {path} for verification: {message}")]
    Copy {
        /// The original file's path.
        path: PathBuf,
        /// The operating system's reason.
        message: String,
    },
    /// The verification could not start: its temporary folder for the
    /// runtime header, or its worker threads.
    #[error("cannot start the verification: {0}")]
    Setup(String),
}

/// A file's fix as verification needs it: the fixed text, and the edits
/// that made it (in the original file's coordinates).
#[derive(Clone, Debug, Default)]
pub struct FixedFile {
    /// The fixed text.
    pub text: Vec<u8>,
    /// The edits applied to the original.
    pub edits: Edits,
}

/// What verifying each fixed file found, by the path it is reported under
/// (files that no unit of the database reaches are absent).
pub type Verdicts = BTreeMap<PathBuf, Result<Verdict, VerifyError>>;

/// Whether the fix of the file reported as `path` may be written or shown:
/// not refused by a unit's compiler, and every compiler that should check
/// it could run.
pub fn accepted(verdicts: &Verdicts, path: &Path) -> bool {
    !matches!(verdicts.get(path), Some(Ok(Verdict::Refused(_)) | Err(_)))
}

/// How [`verify_fixes`] runs.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// Where project files are mirrored from: the project root and the
    /// scanned paths (see [`quoted_closure`]).
    pub roots: Vec<PathBuf>,
    /// Worker threads (0: one per core).
    pub jobs: usize,
    /// How long one compiler run may take.
    pub timeout: Duration,
    /// Which fixes are applied, so verified.
    pub unsafe_fixes: UnsafeFixes,
}

/// Verifies the fixes of `targets` through every unit of `database` that
/// reaches a fixed file (its own `.c` file, or a project header it
/// includes with quotes; see [`verify_unit`]), in parallel, with the
/// runtime header written to a private temporary folder on the include
/// path. A unit runs only as `trust` allows it: the units of a database
/// that is not trusted, and whose compiler the user's allowlist does not
/// name, are left out (no verdict); a unit whose command the rule refuses
/// otherwise gives [`Verdict::NotRun`] with the reason. A file's verdict:
/// refused when any unit that reaches it is refused (or was verified
/// together with a refused file), an error when a compiler could not run,
/// verified when some unit compiled it, else broken before or not run.
/// Removes the stale temporary folders of killed runs first.
///
/// # Errors
///
/// [`VerifyError::Setup`] when the runtime header's folder or the worker
/// threads cannot be made; a unit's own failure is its file's verdict.
pub fn verify_fixes(
    targets: &[FixTarget<'_>],
    database: &Database,
    trust: &Trust,
    options: &VerifyOptions,
) -> Result<Verdicts, VerifyError> {
    let fixed = apply::fix_files(targets, options.unsafe_fixes)
        .into_iter()
        .filter_map(|f| {
            let text = f.result.ok()??;
            Some((
                f.source.path.clone(),
                FixedFile {
                    text,
                    edits: f.edits,
                },
            ))
        });
    verify_texts(fixed, database, trust, options)
}

/// Verifies fixed texts as [`verify_fixes`] verifies the fixes of its
/// targets: `fixed` gives each fixed file's path (as it is read) with its
/// text and the edits that made it from the file on disk (`--fix` and
/// `--diff` verify what all their rounds made, see
/// [`crate::converge`]).
///
/// # Errors
///
/// As [`verify_fixes`].
pub fn verify_texts(
    fixed: impl IntoIterator<Item = (PathBuf, FixedFile)>,
    database: &Database,
    trust: &Trust,
    options: &VerifyOptions,
) -> Result<Verdicts, VerifyError> {
    remove_stale_folders(STALE_AFTER);
    let setup = |e: std::io::Error| VerifyError::Setup(e.to_string());
    let runtime = PrivateFolder::new().map_err(setup)?;
    crate::runtime::write_header(runtime.path()).map_err(setup)?;
    // Fixed files by real path, and the path each is reported under.
    let mut by_real: HashMap<PathBuf, FixedFile> = HashMap::new();
    let mut shown: HashMap<PathBuf, PathBuf> = HashMap::new();
    for (path, file) in fixed {
        let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        shown.insert(real.clone(), path);
        by_real.insert(real, file);
    }
    let fixed = by_real;
    // The first entry of each file is its unit; units the trust rule
    // leaves out of an untrusted database take no part.
    let mut seen = HashSet::new();
    let units: Vec<(&Unit, Result<CompilerCommand, Refusal>)> = database
        .units
        .iter()
        .filter(|u| seen.insert(u.file.clone()))
        .map(|u| (u, trust.command(u)))
        .filter(|(_, c)| !matches!(c, Err(Refusal::Untrusted { .. })))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .map_err(|e| VerifyError::Setup(e.to_string()))?;
    let roots = &options.roots;
    let results: Vec<Option<Checked>> = pool.install(|| {
        units
            .par_iter()
            .map(|(unit, command)| match command {
                Ok(command) => verify_unit(
                    unit,
                    command,
                    roots,
                    &fixed,
                    runtime.path(),
                    options.timeout,
                )
                .map(|r| match r {
                    Ok((involved, verdict, not_compiled)) => (involved, Ok(verdict), not_compiled),
                    Err(e) => (
                        involved_files(unit, roots, &fixed),
                        Err(e),
                        NotCompiled::new(),
                    ),
                }),
                Err(refusal) => {
                    let involved = involved_files(unit, roots, &fixed);
                    // A compiler that is not installed fails the check, as
                    // one that cannot start does; a refused one is a note.
                    let verdict = match refusal {
                        Refusal::CompilerNotFound(name) => {
                            Err(VerifyError::MissingCompiler(name.clone()))
                        }
                        other => Ok(Verdict::NotRun(other.to_string())),
                    };
                    (!involved.is_empty()).then_some((involved, verdict, NotCompiled::new()))
                }
            })
            .collect()
    });
    // Each unit's fixed files and verdict, in database order.
    let checked: Vec<(&Unit, Checked)> = units
        .iter()
        .zip(results)
        .filter_map(|((unit, _), result)| result.map(|r| (*unit, r)))
        .collect();
    Ok(combine(&checked, &shown, &options.roots))
}

/// The fixed files (by real path) that a unit reaches, and its verdict.
type Checked = (Vec<PathBuf>, Result<Verdict, VerifyError>, NotCompiled);

/// What checking one unit found: the fixed files it reaches (by real
/// path), its verdict, and its files' edits that the build does not
/// compile.
pub type UnitVerdict = (Vec<PathBuf>, Verdict, NotCompiled);

/// The fixed files (by real path) of a verified unit whose edits its build
/// does not all compile, each with those edits.
pub type NotCompiled = HashMap<PathBuf, Vec<Uncompiled>>;

/// The fixed files (by real path) that `unit` reaches.
fn involved_files(
    unit: &Unit,
    roots: &[PathBuf],
    fixed: &HashMap<PathBuf, FixedFile>,
) -> Vec<PathBuf> {
    quoted_closure(unit, roots)
        .into_iter()
        .filter(|f| fixed.contains_key(f))
        .collect()
}

/// Each fixed file's verdict from the verdicts of the units that reach it
/// (see [`verify_fixes`]).
fn combine(
    checked: &[(&Unit, Checked)],
    shown: &HashMap<PathBuf, PathBuf>,
    roots: &[PathBuf],
) -> Verdicts {
    let root = roots.first().map_or(Path::new("."), PathBuf::as_path);
    let display = |p: &Path| -> String {
        let p = shown.get(p).map_or(p, PathBuf::as_path);
        p.strip_prefix(".").unwrap_or(p).display().to_string()
    };
    let refused_or_error = |v: Option<&Result<Verdict, VerifyError>>| {
        matches!(v, Some(Ok(Verdict::Refused(_)) | Err(_)))
    };
    let mut verdicts = Verdicts::new();
    // Refusals and errors first: a file refused by one unit is refused.
    for (unit, (involved, result, _)) in checked {
        for file in involved {
            let which = if *file == std::fs::canonicalize(&unit.file).unwrap_or_default() {
                "the unit".to_owned()
            } else {
                format!("the unit of {}, which includes it,", unit_name(unit, root))
            };
            let entry = match result {
                Err(e) => Some(Err(e.clone())),
                Ok(Verdict::Refused(first)) => Some(Ok(Verdict::Refused(format!(
                    "{which} compiled before and fails after it (its compilation database \
                     command): {first}"
                )))),
                _ => None,
            };
            if let Some(entry) = entry {
                verdicts.entry(shown[file].clone()).or_insert(entry);
            }
        }
    }
    // A unit that compiled with a refused file swapped in proves nothing
    // for its other fixed files: they are refused with it, until no
    // refusal spreads further.
    loop {
        let mut spread = Vec::new();
        for (_, (involved, _, _)) in checked {
            let refused = involved
                .iter()
                .find(|f| refused_or_error(verdicts.get(&shown[*f])));
            if let Some(refused) = refused {
                for file in involved
                    .iter()
                    .filter(|f| !verdicts.contains_key(&shown[*f]))
                {
                    spread.push((
                        shown[file].clone(),
                        format!(
                            "it was verified together with the fix of {}, which is refused",
                            display(refused)
                        ),
                    ));
                }
            }
        }
        if spread.is_empty() {
            break;
        }
        for (path, why) in spread {
            verdicts.entry(path).or_insert(Ok(Verdict::Refused(why)));
        }
    }
    // Otherwise the best a unit found: verified, else compiled but with
    // an edited line the build does not compile, else broken before, else
    // not run.
    let rank = |v: &Verdict| match v {
        Verdict::Verified => 4,
        Verdict::NotCompiled(_) => 3,
        Verdict::BrokenBefore(_) => 2,
        Verdict::NotRun(_) => 1,
        Verdict::Refused(_) => 0,
    };
    for (_, (involved, result, not_compiled)) in checked {
        let Ok(unit_verdict) = result else { continue };
        for file in involved {
            let path = &shown[file];
            let found = &match (unit_verdict, not_compiled.get(file)) {
                (Verdict::Verified, Some(list)) => Verdict::NotCompiled(list.clone()),
                (other, _) => other.clone(),
            };
            // Two units that each compile some of a file's edits: an edit
            // is left out only when no unit compiled it.
            if let (Some(Ok(Verdict::NotCompiled(before))), Verdict::NotCompiled(now)) =
                (verdicts.get(path), found)
            {
                let both: Vec<Uncompiled> = before
                    .iter()
                    .filter(|u| now.iter().any(|n| n.edit == u.edit))
                    .cloned()
                    .collect();
                let merged = if both.is_empty() {
                    Verdict::Verified
                } else {
                    Verdict::NotCompiled(both)
                };
                verdicts.insert(path.clone(), Ok(merged));
                continue;
            }
            let better = match verdicts.get(path) {
                None => true,
                Some(Ok(current)) => {
                    !matches!(current, Verdict::Refused(_)) && rank(found) > rank(current)
                }
                Some(Err(_)) => false,
            };
            if better && !matches!(found, Verdict::Refused(_)) {
                verdicts.insert(path.clone(), Ok(found.clone()));
            }
        }
    }
    verdicts
}

/// A unit's file as the messages show it: relative to the project root.
fn unit_name(unit: &Unit, root: &Path) -> String {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
    let file = std::fs::canonicalize(&unit.file).unwrap_or_else(|_| unit.file.clone());
    file.strip_prefix(&root)
        .unwrap_or(&file)
        .display()
        .to_string()
}

/// How many files a unit's mirror may hold (its project files reached
/// through quoted includes).
const MAX_MIRRORED: usize = 10_000;

/// The project files (under one of `roots`: the project root and the
/// scanned paths) that `unit`'s file reaches through quoted `#include`s, as
/// the compiler resolves them (the including file's folder, then the
/// unit's `-iquote`/`-I`/`-isystem` folders), the unit's own file first,
/// each once, by real path. Files outside the roots (Python's headers, the
/// system's) are not followed: they are never fixed. A file that cannot be
/// read as a regular file of at most [`MAX_MIRRORED_SIZE`] bytes is not
/// followed. Empty when the unit's file is outside the roots.
pub fn quoted_closure(unit: &Unit, roots: &[PathBuf]) -> Vec<PathBuf> {
    quoted_closure_with(unit, roots, &|file| {
        read_regular(file, MAX_MIRRORED_SIZE).ok().map(Arc::new)
    })
}

/// [`quoted_closure`] with the files read by `read` (their text, `None`
/// when it cannot be read as a regular file of at most
/// [`MAX_MIRRORED_SIZE`] bytes): a caller that walks many units shares one
/// cache.
pub fn quoted_closure_with(
    unit: &Unit,
    roots: &[PathBuf],
    read: &dyn Fn(&Path) -> Option<Arc<Vec<u8>>>,
) -> Vec<PathBuf> {
    let real = |p: &Path| std::fs::canonicalize(p).ok();
    let roots: Vec<PathBuf> = roots.iter().filter_map(|r| real(r)).collect();
    let inside = |f: &PathBuf| roots.iter().any(|r| f.starts_with(r));
    let Some(first) = real(&unit.file).filter(inside) else {
        return Vec::new();
    };
    let mut found = vec![first];
    let mut next = 0;
    while next < found.len() && found.len() < MAX_MIRRORED {
        let file = found[next].clone();
        next += 1;
        let Some(bytes) = read(&file) else {
            continue;
        };
        let own = file.parent().unwrap_or(Path::new("/")).to_owned();
        for include in crate::scan::unit::quoted_includes(&bytes) {
            let target = std::iter::once(&own)
                .chain(&unit.include_dirs)
                .map(|d| d.join(&include.name))
                .find(|p| p.is_file())
                .and_then(|p| real(&p));
            if let Some(target) = target.filter(inside) {
                if !found.contains(&target) {
                    found.push(target);
                }
            }
        }
    }
    found
}

/// Compiles `unit` with `command` (its checked command), with the fixed
/// texts of the files it reaches swapped in: `fixed` maps files (by real
/// path) to their fixed text, `roots` are the project root and the
/// scanned paths (see [`quoted_closure`]). The unit's project files are
/// copied into a mirror of their folders in a private temporary folder
/// outside the project (see the module doc), the unit's copy is compiled
/// with its command, the mirror of each of its include folders first on
/// the quoted include path: once with the files as they are, once with the
/// fixed ones. Returns `None` when the unit reaches none of `fixed`, else
/// the fixed files it reaches and the verdict.
///
/// # Errors
///
/// In the `Some`: the compiler is missing or hangs, a file cannot be read
/// or the mirror written.
pub fn verify_unit(
    unit: &Unit,
    command: &CompilerCommand,
    roots: &[PathBuf],
    fixed: &HashMap<PathBuf, FixedFile>,
    runtime_dir: &Path,
    timeout: Duration,
) -> Option<Result<UnitVerdict, VerifyError>> {
    let closure = quoted_closure(unit, roots);
    let involved: Vec<PathBuf> = closure
        .iter()
        .filter(|f| fixed.contains_key(*f))
        .cloned()
        .collect();
    if involved.is_empty() {
        return None;
    }
    Some(
        mirror_and_compile(unit, command, &closure, fixed, runtime_dir, timeout)
            .map(|(verdict, not_compiled)| (involved, verdict, not_compiled)),
    )
}

fn mirror_and_compile(
    unit: &Unit,
    command: &CompilerCommand,
    closure: &[PathBuf],
    fixed: &HashMap<PathBuf, FixedFile>,
    runtime_dir: &Path,
    timeout: Duration,
) -> Result<(Verdict, NotCompiled), VerifyError> {
    // The mirror keeps the files' layout below the folder they all share.
    let mut root = closure[0].parent().unwrap_or(Path::new("/")).to_owned();
    while !closure.iter().all(|f| f.starts_with(&root)) {
        if !root.pop() {
            break;
        }
    }
    let copy_error = |path: &Path, message: String| VerifyError::Copy {
        path: path.to_owned(),
        message,
    };
    let mirror = PrivateFolder::new().map_err(|e| copy_error(&unit.file, e.to_string()))?;
    let place = |file: &Path| mirror.path().join(file.strip_prefix(&root).unwrap_or(file));
    let write = |file: &Path, bytes: &[u8], mode: u32| -> Result<(), VerifyError> {
        write_private(&place(file), bytes, mode).map_err(|e| copy_error(file, e.to_string()))
    };
    let mut modes = HashMap::new();
    let mut originals = HashMap::new();
    for file in closure {
        let bytes =
            read_regular(file, MAX_MIRRORED_SIZE).map_err(|e| copy_error(file, e.to_string()))?;
        let mode = file_mode(file);
        modes.insert(file, mode);
        write(file, &bytes, mode)?;
        originals.insert(file, bytes);
    }
    // The mirror of each project include folder comes first for quoted
    // includes; everything not mirrored resolves as before.
    let quote_dirs: Vec<PathBuf> = unit
        .include_dirs
        .iter()
        .filter_map(|d| std::fs::canonicalize(d).ok())
        .filter(|d| d.starts_with(&root))
        .map(|d| place(&d))
        .collect();
    let source = place(&closure[0]);
    let shown = |e: String| {
        e.replace(
            &mirror.path().display().to_string(),
            &root.display().to_string(),
        )
    };
    let check = || command.syntax_check(&source, &quote_dirs, runtime_dir);
    let before = compile(command, check(), timeout)?.map_err(shown);
    // Which lines the build compiles, from the preprocessor's own output
    // on the files as they are (the fix changes no `#if`).
    let mirror_real =
        std::fs::canonicalize(mirror.path()).map_err(|e| copy_error(&unit.file, e.to_string()))?;
    let compiled = match &before {
        Ok(()) => Some(preprocess(
            command,
            &source,
            &quote_dirs,
            runtime_dir,
            timeout,
            &mirror_real,
        )),
        Err(_) => None,
    };
    for file in closure {
        if let Some(fix) = fixed.get(file) {
            write(file, &fix.text, modes[file])?;
        }
    }
    let after = compile(command, check(), timeout)?.map_err(shown);
    Ok(match (before, after) {
        (Ok(()), Ok(())) => {
            let not_compiled = closure
                .iter()
                .filter_map(|file| {
                    let fix = fixed.get(file)?;
                    let list = match &compiled {
                        Some(Ok(compiled)) => {
                            let mirrored = std::fs::canonicalize(place(file)).ok();
                            let lines = mirrored.and_then(|m| compiled.files.get(&m));
                            uncompiled_edits(&originals[file], &fix.edits, lines)
                        }
                        Some(Err(e)) => fix
                            .edits
                            .iter()
                            .map(|edit| Uncompiled {
                                edit: edit.clone(),
                                why: format!(
                                    "which lines the build compiles is not known (its \
                                     preprocessor: {e})"
                                ),
                            })
                            .collect(),
                        None => return None,
                    };
                    (!list.is_empty()).then(|| (file.clone(), list))
                })
                .collect();
            (Verdict::Verified, not_compiled)
        }
        (Ok(()), Err(error)) => (Verdict::Refused(error), NotCompiled::new()),
        (Err(error), _) => (Verdict::BrokenBefore(error), NotCompiled::new()),
    })
}

/// The edits of `edits` that are not compiled: each one whose first line
/// lies in a conditional group of `original` that produced no
/// preprocessor output, or all of them when the file produced none, each
/// with its line and the group's directive in words.
fn uncompiled_edits(original: &[u8], edits: &Edits, lines: Option<&Lines>) -> Vec<Uncompiled> {
    let Some(lines) = lines.filter(|l| !l.is_empty()) else {
        return edits
            .iter()
            .map(|edit| Uncompiled {
                edit: edit.clone(),
                why: format!(
                    "line {} is not compiled by this build (the file is not read by it)",
                    edit.location.start.line
                ),
            })
            .collect();
    };
    let groups = compiled::groups(original);
    edits
        .iter()
        .filter_map(|edit| {
            let line = u32::try_from(edit.location.start.line).unwrap_or(u32::MAX);
            let group = compiled::innermost(&groups, line)?;
            (!compiled::is_compiled(group, lines)).then(|| Uncompiled {
                edit: edit.clone(),
                why: format!(
                    "line {line} is not compiled by this build (`{}` at line {})",
                    group.directive.0, group.directive.1
                ),
            })
        })
        .collect()
}

/// Runs the unit's preprocessor on `source` and reads which lines of the
/// files under `mirror` produced output.
fn preprocess(
    compiler: &CompilerCommand,
    source: &Path,
    quote_dirs: &[PathBuf],
    runtime_dir: &Path,
    timeout: Duration,
    mirror: &Path,
) -> Result<Compiled, VerifyError> {
    let command = compiler.preprocess(source, quote_dirs, Some(runtime_dir));
    run_preprocessor(
        compiler,
        command,
        timeout,
        &|p: &Path| p.starts_with(mirror),
        &[],
    )
}

/// The most preprocessor output one unit may write, in bytes: CPython
/// 3.11.2's `Modules/_collectionsmodule.c` writes 0.9 MiB with `-E -dD`
/// and 1.3 MiB with `-E -fdirectives-only`.
pub const MAX_PREPROCESSED: u64 = 256 << 20;

/// Runs a preprocessor `command` and reads its output as [`Compiled`] (see
/// [`Compiled::read`] for `keep` and `wanted`), killing it after `timeout`
/// or once it has written [`MAX_PREPROCESSED`] bytes.
///
/// # Errors
///
/// The compiler cannot be started, fails, runs past `timeout` or writes
/// more than [`MAX_PREPROCESSED`] bytes.
///
/// # Panics
///
/// When `command` does not pipe stdout and stderr
/// ([`CompilerCommand::preprocess`] pipes both).
pub fn run_preprocessor(
    compiler: &CompilerCommand,
    mut command: Command,
    timeout: Duration,
    keep: &(dyn Fn(&Path) -> bool + Sync),
    wanted: &[&str],
) -> Result<Compiled, VerifyError> {
    let shown = compiler.shown(&command);
    let mut child = command
        .spawn()
        .map_err(|e| spawn_error(compiler, &shown, e))?;
    let mut stdout = std::io::BufReader::new(
        child
            .stdout
            .take()
            .expect("stdout is piped")
            .take(MAX_PREPROCESSED),
    );
    let stderr = drain(child.stderr.take().expect("stderr is piped"));
    // The output is read as it comes (it may be megabytes); a watchdog
    // kills a compiler that runs past the timeout, which ends the stream.
    let pid = child.id();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watchdog = {
        let done = done.clone();
        std::thread::spawn(move || {
            let start = Instant::now();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                if start.elapsed() >= timeout {
                    kill(pid);
                    return true;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            false
        })
    };
    let directory = compiler.directory.clone();
    let read = Compiled::read(&mut stdout, &directory, keep, wanted);
    // Output past the limit: the compiler is stopped, not waited for.
    let too_long = stdout.get_ref().limit() == 0;
    drop(stdout);
    if too_long {
        kill(pid);
    }
    let status = child.wait();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let timed_out = watchdog.join().unwrap_or(false);
    if timed_out {
        return Err(VerifyError::Timeout {
            command: shown,
            seconds: timeout.as_secs(),
        });
    }
    let run_error = |message: String| VerifyError::Run {
        command: shown.clone(),
        message,
    };
    if too_long {
        return Err(run_error(format!(
            "its output passed {} MiB, the limit",
            MAX_PREPROCESSED >> 20
        )));
    }
    let status = status.map_err(|e| run_error(e.to_string()))?;
    let compiled = read.map_err(|e| run_error(e.to_string()))?;
    if !status.success() {
        return Err(run_error(first_error(&stderr.join().unwrap_or_default())));
    }
    Ok(compiled)
}

/// Kills the process `pid` (a compiler past its timeout).
fn kill(pid: u32) {
    #[cfg(unix)]
    // SAFETY: kill has no memory preconditions; a pid that has gone is an
    // error it reports, which is ignored.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGKILL);
    }
    #[cfg(not(unix))]
    let _ = pid;
}

/// Reads a child's stderr to the end on a thread, so a chatty compiler
/// never blocks on a full pipe.
fn drain(mut stderr: std::process::ChildStderr) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
        text
    })
}

/// What an error of starting a compiler means.
fn spawn_error(compiler: &CompilerCommand, shown: &str, e: std::io::Error) -> VerifyError {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            VerifyError::MissingCompiler(compiler.program.display().to_string())
        }
        _ => VerifyError::Run {
            command: shown.to_owned(),
            message: e.to_string(),
        },
    }
}

/// The first line of a compiler's error output that says "error" (else its
/// first line).
fn first_error(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    text.lines()
        .find(|l| l.contains("error"))
        .or_else(|| text.lines().next())
        .unwrap_or("the compiler failed without a message")
        .trim()
        .to_owned()
}

/// The permission bits of `file` (0o644 where it cannot be told).
fn file_mode(file: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(file).map_or(0o644, |m| m.permissions().mode() & 0o777)
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        0o644
    }
}

/// Writes `bytes` to `target` inside a private folder, creating its
/// missing folders `0700` and the file with `mode`.
fn write_private(target: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    use std::io::Write;
    // Not while a signal's handler removes the folders (a recursive make
    // would make the removed mirror again).
    let live = live_folders();
    if let Some(dir) = target.parent() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(target)?;
    drop(live);
    file.write_all(bytes)
}

/// Runs a compiler command: `Ok(Ok(()))` when it succeeds, `Ok(Err(first
/// error))` when it fails.
fn compile(
    compiler: &CompilerCommand,
    mut command: Command,
    timeout: Duration,
) -> Result<Result<(), String>, VerifyError> {
    let shown = compiler.shown(&command);
    let mut child = command
        .spawn()
        .map_err(|e| spawn_error(compiler, &shown, e))?;
    let reader = drain(child.stderr.take().expect("stderr is piped"));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(VerifyError::Timeout {
                    command: shown,
                    seconds: timeout.as_secs(),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                return Err(VerifyError::Run {
                    command: shown,
                    message: e.to_string(),
                })
            }
        }
    };
    let text = reader.join().unwrap_or_default();
    if status.success() {
        return Ok(Ok(()));
    }
    Ok(Err(first_error(&text)))
}

/// The private temporary folders in use: what [`remove_temporary_folders`]
/// removes when the run is stopped by a signal. Held while a folder is
/// made and while [`write_private`] makes a file's folders and opens it,
/// so that once the signal's handler holds it nothing is made again.
static LIVE_FOLDERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// [`LIVE_FOLDERS`], locked (a panic while it was held leaves the list as
/// it was: nothing is half-changed).
fn live_folders() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE_FOLDERS.lock().unwrap_or_else(|e| e.into_inner())
}

/// A temporary folder only its owner may enter (`0700`), named with
/// [`TEMPORARY_PREFIX`] in the system's temporary folder, registered for
/// removal on a signal while it exists, and removed when dropped.
pub struct PrivateFolder {
    dir: tempfile::TempDir,
}

impl PrivateFolder {
    /// Creates one.
    ///
    /// # Errors
    ///
    /// Those of creating a folder in the system's temporary folder.
    pub fn new() -> std::io::Result<PrivateFolder> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMPORARY_PREFIX);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let mut live = live_folders();
        let dir = builder.tempdir()?;
        live.push(dir.path().to_owned());
        Ok(PrivateFolder { dir })
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for PrivateFolder {
    fn drop(&mut self) {
        live_folders().retain(|p| p != self.dir.path());
    }
}

/// Removes every private temporary folder this process has in use: what a
/// signal handler calls before the process ends (the folders' owners are
/// then never dropped). Best effort: a folder that a compiler writes into
/// meanwhile is tried three times.
///
/// Returns the folders' lock: while it is held no folder is made, and no
/// file's folders made again, by [`PrivateFolder::new`] or a mirror's
/// copy on another thread (they wait for it). The handler keeps it until
/// the process ends.
#[must_use = "dropping the lock lets other threads make folders again"]
pub fn remove_temporary_folders() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    let live = live_folders();
    for dir in live.iter() {
        for _ in 0..3 {
            match std::fs::remove_dir_all(dir) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                _ => break,
            }
        }
    }
    live
}

/// Removes, in the system's temporary folder, the folders named with
/// [`TEMPORARY_PREFIX`] that belong to this user and were last changed more
/// than `age` ago: those of runs killed without a chance to clean up.
/// Links are never followed. Best effort.
pub fn remove_stale_folders(age: Duration) {
    remove_stale_folders_in(&std::env::temp_dir(), age);
}

/// [`remove_stale_folders`] in the folder `dir` instead of the system's
/// temporary folder.
fn remove_stale_folders_in(dir: &Path, age: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(TEMPORARY_PREFIX) {
            continue;
        }
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|elapsed| elapsed > age);
        if meta.is_dir() && old && is_mine(&meta) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a file belongs to the user running oncevar.
fn is_mine(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        meta.uid() == unsafe { libc::geteuid() }
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_mirror_is_private_and_keeps_each_files_mode() {
        use std::os::unix::fs::PermissionsExt;
        let folder = PrivateFolder::new().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(folder.path()), 0o700);
        let header = folder.path().join("a/b/secret.h");
        write_private(&header, b"x", 0o600).unwrap();
        assert_eq!(mode(&folder.path().join("a")), 0o700);
        assert_eq!(mode(&folder.path().join("a/b")), 0o700);
        assert_eq!(mode(&header), 0o600);
        let path = folder.path().to_owned();
        assert!(LIVE_FOLDERS.lock().unwrap().contains(&path));
        drop(folder);
        assert!(!path.exists());
        assert!(!LIVE_FOLDERS.lock().unwrap().contains(&path));
    }

    #[test]
    fn a_signal_removes_the_folders_in_use() {
        let folder = PrivateFolder::new().unwrap();
        write_private(&folder.path().join("x/y.c"), b"int x;", 0o644).unwrap();
        let _stopped = remove_temporary_folders();
        assert!(!folder.path().exists());
    }

    /// A worker still copying into a mirror when the signal comes must not
    /// make the folder again: `write_private` creates the missing folders
    /// above a file, the mirror's own among them (trust.rs's signal test
    /// found one left behind under load).
    #[test]
    fn no_folder_is_made_again_after_a_signal() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let folder = PrivateFolder::new().unwrap();
        let root = folder.path().to_owned();
        let done = Arc::new(AtomicBool::new(false));
        let writer = {
            let (root, done) = (root.clone(), Arc::clone(&done));
            std::thread::spawn(move || {
                for n in 0.. {
                    if done.load(Ordering::SeqCst) {
                        break;
                    }
                    let _ = write_private(&root.join(format!("d{n}/f.c")), b"int x;", 0o644);
                }
            })
        };
        std::thread::sleep(Duration::from_millis(20));
        let stopped = remove_temporary_folders();
        std::thread::sleep(Duration::from_millis(100));
        let exists = root.exists();
        done.store(true, Ordering::SeqCst);
        drop(stopped);
        writer.join().unwrap();
        let _ = std::fs::remove_dir_all(&root);
        assert!(!exists, "the mirror was made again after its removal");
    }

    #[cfg(unix)]
    #[test]
    fn stale_folders_of_killed_runs_are_removed_once_old() {
        // A folder of its own stands for the system's temporary folder: the
        // verifier run by other tests sweeps the real one at the same time,
        // and setting a folder's time back is not honoured by every file
        // system (CI's was not), so age is what the sweep is given instead.
        let temp = tempfile::tempdir().unwrap();
        let stale = temp.path().join(format!("{TEMPORARY_PREFIX}old"));
        std::fs::create_dir_all(stale.join("sub")).unwrap();
        std::fs::write(stale.join("sub/x.c"), "int x;").unwrap();
        let other = temp.path().join("someone-else");
        std::fs::create_dir(&other).unwrap();
        let target = temp.path().join("target");
        std::fs::create_dir(&target).unwrap();
        let link = temp.path().join(format!("{TEMPORARY_PREFIX}link"));
        std::os::unix::fs::symlink(&target, &link).unwrap();

        remove_stale_folders_in(temp.path(), Duration::from_secs(3600));
        assert!(stale.exists(), "a folder younger than the age is kept");

        std::thread::sleep(Duration::from_millis(20));
        remove_stale_folders_in(temp.path(), Duration::from_millis(10));
        assert!(!stale.exists(), "an old folder is removed with its content");
        assert!(other.exists(), "a folder without the prefix is kept");
        assert!(link.symlink_metadata().is_ok(), "a link is not removed");
        assert!(target.exists(), "nor followed");
    }
}
