//! Verifying a fix with the project's own compiler command: the unit's
//! recorded command from the compilation database, with `-fsyntax-only`,
//! run on the original file and on the fixed text (a temporary copy beside
//! the original, so that relative includes resolve the same), with the
//! runtime header's folder on the include path. A fix whose unit compiled
//! before and fails after is refused.

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
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
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
    /// The fixed text could not be written to a temporary file beside the
    /// original (a read-only folder, a full disk).
    #[error("cannot write the temporary copy beside {path}: {message}")]
    Copy {
        /// The original file's path.
        path: PathBuf,
        /// The operating system's reason.
        message: String,
    },
}

/// Compiles `unit`'s file as it is and with `fixed` as its text, with
/// `runtime_dir` (holding `oncevar.h`) on the include path, each run
/// limited to `timeout`; the fixed text is compiled as a hidden temporary
/// file beside the original, and compiler messages about it name the
/// original. A failed compile's message is the first line of the compiler's
/// standard error that says `error` (or its first line).
///
/// # Errors
///
/// [`VerifyError::MissingCompiler`], [`VerifyError::Timeout`] (either run),
/// [`VerifyError::Run`], and [`VerifyError::Copy`] when the temporary copy
/// cannot be written.
pub fn verify(
    unit: &Unit,
    fixed: &[u8],
    runtime_dir: &Path,
    timeout: Duration,
) -> Result<Verdict, VerifyError> {
    let before = compile(unit, &unit.file, runtime_dir, timeout)?;
    let copy = temporary_copy(&unit.file, fixed)?;
    let after = compile(unit, copy.path(), runtime_dir, timeout)?;
    // The error names the copy: show the original's path instead.
    let after = after.map_err(|e| {
        e.replace(
            &copy.path().display().to_string(),
            &unit.file.display().to_string(),
        )
    });
    drop(copy);
    Ok(match (before, after) {
        (Ok(()), Ok(())) => Verdict::Verified,
        (Ok(()), Err(error)) => Verdict::Refused(error),
        (Err(error), _) => Verdict::BrokenBefore(error),
    })
}

/// `fixed` in a new hidden file beside `original`, with its extension (so
/// the compiler treats it as the same language); removed when dropped.
fn temporary_copy(original: &Path, fixed: &[u8]) -> Result<tempfile::NamedTempFile, VerifyError> {
    let dir = original.parent().unwrap_or(Path::new("."));
    let suffix = original
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let error = |e: std::io::Error| VerifyError::Copy {
        path: original.to_owned(),
        message: e.to_string(),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".oncevar-verify-")
        .suffix(&suffix)
        .tempfile_in(dir)
        .map_err(error)?;
    std::io::Write::write_all(&mut file, fixed).map_err(error)?;
    Ok(file)
}

/// Runs the unit's syntax check on `source`: `Ok(Ok(()))` when it compiles,
/// `Ok(Err(first error))` when it does not.
fn compile(
    unit: &Unit,
    source: &Path,
    runtime_dir: &Path,
    timeout: Duration,
) -> Result<Result<(), String>, VerifyError> {
    let argv = unit.syntax_check(source, runtime_dir);
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
