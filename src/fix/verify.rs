//! Verifying a fix with the project's own compiler command: the unit's
//! recorded command from the compilation database, with `-fsyntax-only`,
//! with the runtime header's folder on the include path, run on a mirror
//! of the unit's project files (the `.c` file and the project headers it
//! reaches through quoted includes, in their folders' layout) in a
//! temporary folder outside the project: once as they are, once with every
//! fixed file among them swapped in. A header's fix is so verified through
//! every unit that includes it, together with the fixes of the unit's
//! other files. The mirror of each of the unit's project include folders
//! comes first on the quoted include path, and the mirrored `.c` file's
//! own folder holds its mirrored neighbours, so every quoted include finds
//! the mirrored (fixed) file first and everything else resolves as before.
//! The project's own files are only read: a kill at any moment leaves at
//! most a temporary folder behind, never a changed or extra file in the
//! project. A fix whose unit compiled before and fails after is refused.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::project::compdb::Unit;

/// How long one compiler run may take by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

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
}

/// Why a compiler could not be run at all.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum VerifyError {
    /// The command's first word (the compiler, as the database names it)
    /// was not found.
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
    /// A file of the unit could not be read, or its copy could not be
    /// written to the temporary mirror (a full disk).
    #[error("cannot copy {path} for verification: {message}")]
    Copy {
        /// The original file's path.
        path: PathBuf,
        /// The operating system's reason.
        message: String,
    },
}

/// How many files a unit's mirror may hold (its project files reached
/// through quoted includes).
const MAX_MIRRORED: usize = 10_000;

/// The project files (under one of `roots`: the project root and the
/// scanned paths) that `unit`'s file reaches through quoted `#include`s, as
/// the compiler resolves them (the including file's folder, then the
/// unit's `-iquote`/`-I`/`-isystem` folders), the unit's own file first,
/// each once, by real path. Files outside the roots (Python's headers, the
/// system's) are not followed: they are never fixed. Empty when the
/// unit's file is outside them.
pub fn quoted_closure(unit: &Unit, roots: &[PathBuf]) -> Vec<PathBuf> {
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
        let Ok(bytes) = std::fs::read(&file) else {
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

/// Compiles `unit` with the fixed texts of the files it reaches swapped
/// in: `fixed` maps files (by real path) to their fixed text, `roots` are
/// the project root and the scanned paths (see [`quoted_closure`]). The unit's project files are
/// copied into a mirror of their folders in a temporary folder outside the
/// project (removed when done; on a crash it is left in the system's
/// temporary folder, never in the project), the unit's copy is compiled
/// with its command, the mirror of each of its include folders first on
/// the quoted include path: once with the files as they are, once with the
/// fixed ones. Returns `None` when the unit reaches none of `fixed`, else
/// the fixed files it reaches and the verdict. Errors: the compiler is
/// missing or hangs, a file cannot be read or the mirror written.
pub fn verify_unit(
    unit: &Unit,
    roots: &[PathBuf],
    fixed: &HashMap<PathBuf, Vec<u8>>,
    runtime_dir: &Path,
    timeout: Duration,
) -> Option<Result<(Vec<PathBuf>, Verdict), VerifyError>> {
    let closure = quoted_closure(unit, roots);
    let involved: Vec<PathBuf> = closure
        .iter()
        .filter(|f| fixed.contains_key(*f))
        .cloned()
        .collect();
    if involved.is_empty() {
        return None;
    }
    Some(mirror_and_compile(unit, &closure, fixed, runtime_dir, timeout).map(|v| (involved, v)))
}

fn mirror_and_compile(
    unit: &Unit,
    closure: &[PathBuf],
    fixed: &HashMap<PathBuf, Vec<u8>>,
    runtime_dir: &Path,
    timeout: Duration,
) -> Result<Verdict, VerifyError> {
    // The mirror keeps the files' layout below the folder they all share.
    let mut root = closure[0].parent().unwrap_or(Path::new("/")).to_owned();
    while !closure.iter().all(|f| f.starts_with(&root)) {
        if !root.pop() {
            break;
        }
    }
    let copy_error = |path: &Path, e: std::io::Error| VerifyError::Copy {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let mirror = tempfile::Builder::new()
        .prefix("oncevar-verify-")
        .tempdir()
        .map_err(|e| copy_error(&unit.file, e))?;
    let place = |file: &Path| mirror.path().join(file.strip_prefix(&root).unwrap_or(file));
    let write = |file: &Path, bytes: &[u8]| -> Result<(), VerifyError> {
        let target = place(file);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| copy_error(file, e))?;
        }
        std::fs::write(&target, bytes).map_err(|e| copy_error(file, e))
    };
    for file in closure {
        let bytes = std::fs::read(file).map_err(|e| copy_error(file, e))?;
        write(file, &bytes)?;
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
    let before = compile(unit, &source, &quote_dirs, runtime_dir, timeout)?.map_err(shown);
    for file in closure {
        if let Some(text) = fixed.get(file) {
            write(file, text)?;
        }
    }
    let after = compile(unit, &source, &quote_dirs, runtime_dir, timeout)?.map_err(shown);
    Ok(match (before, after) {
        (Ok(()), Ok(())) => Verdict::Verified,
        (Ok(()), Err(error)) => Verdict::Refused(error),
        (Err(error), _) => Verdict::BrokenBefore(error),
    })
}

/// Runs the unit's syntax check on `source`: `Ok(Ok(()))` when it compiles,
/// `Ok(Err(first error))` when it does not.
fn compile(
    unit: &Unit,
    source: &Path,
    quote_dirs: &[PathBuf],
    runtime_dir: &Path,
    timeout: Duration,
) -> Result<Result<(), String>, VerifyError> {
    let mut argv = unit.syntax_check(source, runtime_dir);
    for (i, dir) in quote_dirs.iter().enumerate() {
        argv.insert(1 + i, format!("-iquote{}", dir.display()));
    }
    let shown = argv.join(" ");
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .current_dir(&unit.directory)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => VerifyError::MissingCompiler(argv[0].clone()),
            _ => VerifyError::Run {
                command: shown.clone(),
                message: e.to_string(),
            },
        })?;
    // Read stderr on a thread so a chatty compiler never blocks on a full pipe.
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
        text
    });
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
    let text = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    if status.success() {
        return Ok(Ok(()));
    }
    let first = text
        .lines()
        .find(|l| l.contains("error"))
        .or_else(|| text.lines().next())
        .unwrap_or("the compiler failed without a message")
        .trim()
        .to_owned();
    Ok(Err(first))
}
