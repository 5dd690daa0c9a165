//! Which files to scan: `.c` and `.h` files under each directory argument,
//! honouring `.gitignore` (inside a git checkout or not) and `--exclude`
//! globs, plus every file named on the command line whatever its extension.

use std::path::{Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

/// A file to scan.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileEntry {
    /// The path as shown to the user: as reached from the PATH argument.
    pub display: String,
    pub path: PathBuf,
}

/// A path that could not be walked or read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub path: String,
    pub message: String,
    /// Fails the run (exit 2); otherwise only shown.
    pub fatal: bool,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<FileEntry>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("invalid --exclude glob `{glob}`: {error}")]
    BadGlob { glob: String, error: ignore::Error },
}

pub fn is_c_file(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("c" | "h"))
}

/// The path without a leading `./`, as people write it.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
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
            });
            continue;
        }
        let mut overrides = OverrideBuilder::new(root);
        for glob in excludes {
            overrides
                .add(&format!("!{glob}"))
                .map_err(|error| DiscoverError::BadGlob {
                    glob: glob.clone(),
                    error,
                })?;
        }
        let overrides = overrides.build().map_err(|error| DiscoverError::BadGlob {
            glob: excludes.join(", "),
            error,
        })?;
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
    // file: scanned, reported and fixed once, under its first name.
    let mut seen = std::collections::HashSet::new();
    discovery
        .files
        .retain(|f| seen.insert(std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone())));
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

    #[test]
    fn display_paths_drop_leading_dot_slash() {
        assert_eq!(display_path(Path::new("./Modules/x.c")), "Modules/x.c");
        assert_eq!(display_path(Path::new("a/./b.c")), "a/./b.c");
        assert_eq!(display_path(Path::new(".")), ".");
        assert_eq!(display_path(Path::new(".cache/x.c")), ".cache/x.c");
    }
}
