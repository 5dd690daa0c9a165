//! Which files to scan: `.c` and `.h` files under each directory argument,
//! honouring `.gitignore` (inside a git checkout or not) and `--exclude`
//! globs, plus every file named on the command line whatever its extension.

use std::path::{Path, PathBuf};

use ignore::overrides::{Override, OverrideBuilder};
use ignore::WalkBuilder;

/// A file to scan.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileEntry {
    /// The path as shown to the user: as reached from the PATH argument.
    pub display: String,
    /// The path to open: the PATH argument joined with the walk's relative
    /// path, neither canonicalised nor made absolute.
    pub path: PathBuf,
    /// Named on the command line (or as standard input's
    /// `--stdin-filename`), not found by walking a folder: a named file is
    /// scanned even where the `vendored` globs match it, as ruff checks a
    /// file it is given by name unless `--force-exclude` is set.
    pub named: bool,
}

/// A path that could not be walked or read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The display path (see [`display_path`]) of the file or directory
    /// that failed, or of the PATH argument when the walker names none.
    pub path: String,
    /// What went wrong, starting `cannot scan:` or `cannot walk:`.
    pub message: String,
    /// Fails the run (exit 2); otherwise only shown.
    pub fatal: bool,
}

/// What [`discover`] found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The files to scan, sorted by display path then path, each file once
    /// (a file reached under two names keeps the first in that order).
    pub files: Vec<FileEntry>,
    /// The paths that could not be walked, in the order met.
    pub problems: Vec<Problem>,
}

/// An error that stops discovery before any file is walked.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// An `--exclude` pattern is not a valid gitignore-style glob.
    #[error("invalid --exclude glob `{glob}`: {error}")]
    BadGlob {
        /// The pattern as given.
        glob: String,
        /// The `ignore` crate's reason.
        error: ignore::Error,
    },
    /// Every `--exclude` pattern is valid, but together they cannot be
    /// compiled (too many, or one too complex): the first pattern with
    /// which the set fails is named.
    #[error(
        "the --exclude globs cannot be compiled together: the set fails from glob {position} \
         of {count}, `{glob}`, on ({error}); use fewer or simpler globs"
    )]
    GlobSetTooLarge {
        /// The pattern whose addition makes the set fail.
        glob: String,
        /// Its 1-based position among the patterns.
        position: usize,
        /// How many patterns were given.
        count: usize,
        /// The `ignore` crate's reason, for the set up to that pattern.
        error: ignore::Error,
    },
}

/// The error for a set of valid `excludes` that fails to build: the
/// shortest prefix that fails (found by bisection: a set only grows harder
/// to build with more patterns) names the pattern that tips it.
fn first_failing_glob(root: &Path, excludes: &[String], error: ignore::Error) -> DiscoverError {
    let build = |n: usize| {
        let mut overrides = OverrideBuilder::new(root);
        for glob in &excludes[..n] {
            overrides.add(&format!("!{glob}"))?;
        }
        overrides.build().map(drop)
    };
    // The set of the first `low` patterns builds, that of the first `high`
    // fails with `error`.
    let (mut low, mut high, mut error) = (0, excludes.len(), error);
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        match build(middle) {
            Ok(()) => low = middle,
            Err(e) => (high, error) = (middle, e),
        }
    }
    DiscoverError::GlobSetTooLarge {
        glob: excludes[high - 1].clone(),
        position: high,
        count: excludes.len(),
        error,
    }
}

/// Whether a directory walk picks `path` up: its extension is exactly `c`
/// or `h` (case-sensitive, so `.C` and `.H`, C++ by convention, are left
/// out). Files named on the command line are scanned whatever this says.
pub fn is_c_file(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("c" | "h"))
}

/// Whether `path` names a C source file, `.c` (case-sensitive, as
/// [`is_c_file`]): what a build compiles as a translation unit by itself.
pub fn is_c_source(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("c"))
}

/// The path as shown to people and written into every report: without a
/// leading `./`, as people write it, and escaped by [`escape_path`], so
/// that no file name can start a line, a terminal escape sequence or a CI
/// workflow command.
pub fn display_path(path: &Path) -> String {
    let text = escape_path(path);
    let mut text: &str = &text;
    while let Some(rest) = text.strip_prefix("./") {
        text = rest.trim_start_matches('/');
    }
    if text.is_empty() {
        ".".to_owned()
    } else {
        text.to_owned()
    }
}

/// The `--exclude` globs as the walk of `root` applies them: each a
/// negated override, relative to `root`.
pub(crate) fn exclude_overrides(
    root: &Path,
    excludes: &[String],
) -> Result<Override, DiscoverError> {
    let mut overrides = OverrideBuilder::new(root);
    for glob in excludes {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|error| DiscoverError::BadGlob {
                glob: glob.clone(),
                error,
            })?;
    }
    overrides
        .build()
        .map_err(|error| first_failing_glob(root, excludes, error))
}

/// Whether a walk of the folder `root` would skip `path` for one of
/// `excludes` (gitignore-style globs relative to `root`): the glob matches
/// the path or one of the folders between `root` and it. A path outside
/// `root` is not excluded (the walk never reaches it). Used for a path the
/// walk does not see, such as the name of standard input's text; the file
/// need not exist.
///
/// # Errors
///
/// [`DiscoverError::BadGlob`] and [`DiscoverError::GlobSetTooLarge`], as
/// [`discover`].
pub fn excluded(root: &Path, excludes: &[String], path: &Path) -> Result<bool, DiscoverError> {
    if excludes.is_empty() {
        return Ok(false);
    }
    let overrides = exclude_overrides(root, excludes)?;
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    };
    let Ok(relative) = path.strip_prefix(root) else {
        return Ok(false);
    };
    // Lexically normal (`./` and `..` resolved), as the walk's paths are.
    let mut parts = Vec::new();
    for part in relative.components() {
        match part {
            std::path::Component::Normal(name) => parts.push(name),
            // A `..` above `root` leaves it.
            std::path::Component::ParentDir if parts.pop().is_none() => return Ok(false),
            _ => {}
        }
    }
    let mut prefix = PathBuf::new();
    for (i, part) in parts.iter().enumerate() {
        prefix.push(part);
        let is_dir = i + 1 < parts.len();
        if overrides.matched(&prefix, is_dir).is_ignore() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The files to scan under `paths`: a path naming a file is taken as it is
/// (whatever its extension); a directory is walked for [`is_c_file`] files,
/// honouring `.gitignore`, `.ignore` and hidden-file rules (in a git
/// checkout or not) and skipping what matches any of `excludes`
/// (gitignore-style globs, relative to that directory). A path that is
/// missing, is neither file nor directory, or cannot be walked becomes a
/// fatal [`Problem`] and discovery goes on.
///
/// # Errors
///
/// [`DiscoverError::BadGlob`] when an `--exclude` glob does not parse; it is
/// checked only when a directory argument is walked.
pub fn discover(paths: &[PathBuf], excludes: &[String]) -> Result<Discovery, DiscoverError> {
    let mut discovery = Discovery::default();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(err) => {
                discovery.problems.push(Problem {
                    path: display_path(root),
                    message: format!("cannot scan: {err}"),
                    fatal: true,
                });
                continue;
            }
        };
        if meta.is_file() {
            discovery.files.push(FileEntry {
                display: display_path(root),
                path: root.clone(),
                named: true,
            });
            continue;
        }
        if !meta.is_dir() {
            discovery.problems.push(Problem {
                path: display_path(root),
                message: "cannot scan: not a regular file or directory (a FIFO, socket or device)"
                    .to_owned(),
                fatal: true,
            });
            continue;
        }
        let overrides = exclude_overrides(root, excludes)?;
        let walker = WalkBuilder::new(root)
            .require_git(false)
            .overrides(overrides)
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file && is_c_file(entry.path()) {
                        discovery.files.push(FileEntry {
                            display: display_path(entry.path()),
                            path: entry.into_path(),
                            named: false,
                        });
                    }
                }
                Err(err) => discovery.problems.push(Problem {
                    path: err_path(&err).unwrap_or_else(|| display_path(root)),
                    message: format!("cannot walk: {}", err_message(&err)),
                    fatal: true,
                }),
            }
        }
    }
    discovery.files.sort();
    // A file reached twice (`. x.c`, `x.c ./x.c`, two links to it) is one
    // file: scanned, reported and fixed once, under its first name, and
    // named when any of its names was named.
    let identity =
        |f: &FileEntry| std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone());
    let named: std::collections::HashSet<PathBuf> = discovery
        .files
        .iter()
        .filter(|f| f.named)
        .map(identity)
        .collect();
    let mut seen = std::collections::HashSet::new();
    discovery.files.retain_mut(|f| {
        let file = identity(f);
        f.named = named.contains(&file);
        seen.insert(file)
    });
    Ok(discovery)
}

fn err_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(display_path(path)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            err_path(err)
        }
        _ => None,
    }
}

fn err_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => err_message(err),
        other => other.to_string(),
    }
}

/// `path` as UTF-8 text that holds no control character: each control
/// character (`\n`, ESC, DEL, C1) and each byte that is not UTF-8 becomes
/// `\xNN`, each bidirectional-text control (which can make a name read as
/// another) and line or paragraph separator `\u{NNNN}`, and a backslash
/// `\\`. [`unescape_path`] gives the
/// bytes back.
pub fn escape_path(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str());
    #[cfg(not(unix))]
    let lossy = path.to_string_lossy();
    #[cfg(not(unix))]
    let bytes = lossy.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                c if c.is_control() && u32::from(c) < 0x80 => {
                    out.push_str(&format!("\\x{:02x}", u32::from(c)))
                }
                c if c.is_control() || is_reordering(c) => {
                    out.push_str(&format!("\\u{{{:04x}}}", u32::from(c)))
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// The characters that reorder or break text on screen without being
/// control characters: Unicode's bidirectional formatting characters, and
/// the line and paragraph separators (U+2028, U+2029), which some
/// terminals and editors take as line breaks.
pub fn is_reordering(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// The bytes of a path escaped by [`escape_path`] (or a display path).
/// Text that is not such an escape is taken as it is.
pub fn unescape_path(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        let tail = &rest[at + 1..];
        let hex = |digits: &str| u32::from_str_radix(digits, 16).ok();
        if let Some(after) = tail.strip_prefix('\\') {
            out.push(b'\\');
            rest = after;
        } else if let Some(byte) = tail
            .get(1..3)
            .filter(|_| tail.starts_with('x'))
            .and_then(hex)
        {
            out.push(byte as u8);
            rest = &tail[3..];
        } else if let Some((c, after)) = tail
            .strip_prefix("u{")
            .and_then(|t| t.split_once('}'))
            .and_then(|(digits, after)| Some((char::from_u32(hex(digits)?)?, after)))
        {
            let mut buffer = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
            rest = after;
        } else {
            out.push(b'\\');
            rest = tail;
        }
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_reached_twice_is_scanned_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.c");
        std::fs::write(&file, "int x;\n").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let roundabout = dir.path().join("sub/../x.c");
        let found = discover(&[dir.path().to_owned(), file.clone(), roundabout], &[]).unwrap();
        assert_eq!(found.files.len(), 1, "{:?}", found.files);
    }

    #[cfg(unix)]
    #[test]
    fn display_paths_escape_what_could_inject() {
        use std::os::unix::ffi::OsStrExt;
        let raw: &[u8] = b"a\n::error file=x::y\x1b[31m\xff\\b\xe2\x80\xaeZ\xe2\x80\xa8\xc3\xa9.c";
        let shown = display_path(Path::new(std::ffi::OsStr::from_bytes(raw)));
        assert_eq!(
            shown,
            "a\\x0a::error file=x::y\\x1b[31m\\xff\\\\b\\u{202e}Z\\u{2028}\u{e9}.c"
        );
        assert!(!shown.chars().any(char::is_control));
        assert_eq!(unescape_path(&shown), raw);
        assert_eq!(unescape_path("plain\\q.c"), b"plain\\q.c");
    }

    #[test]
    fn display_paths_drop_leading_dot_slash() {
        assert_eq!(display_path(Path::new("./Modules/x.c")), "Modules/x.c");
        assert_eq!(display_path(Path::new("a/./b.c")), "a/./b.c");
        assert_eq!(display_path(Path::new(".")), ".");
        assert_eq!(display_path(Path::new(".cache/x.c")), ".cache/x.c");
    }
}
