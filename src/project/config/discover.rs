//! Finding the configuration: `oncevar.toml` in the scanned directory or
//! one of its parents, one file for all the paths of a run, or the file
//! named with `--config`.

use std::path::{Component, Path, PathBuf};

use super::{Config, ConfigError};

/// The file looked for in the scanned directory and its parents.
pub const FILE_NAME: &str = "oncevar.toml";

impl Config {
    /// Finds the configuration for `paths` (the first file found walking up
    /// from each), or reads `explicit`. `cwd` is the root without a file.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Conflict`] when two paths find different files, and
    /// those of [`Config::load`] for the file found or named.
    pub fn resolve(
        paths: &[PathBuf],
        explicit: Option<&Path>,
        cwd: &Path,
    ) -> Result<Config, ConfigError> {
        if let Some(file) = explicit {
            return Config::load(file);
        }
        let mut found: Option<PathBuf> = None;
        for path in paths {
            let Some(file) = find(path) else { continue };
            match &found {
                Some(first) if *first != file => {
                    return Err(ConfigError::Conflict {
                        first: first.clone(),
                        second: file,
                    })
                }
                _ => found = Some(file),
            }
        }
        match found {
            Some(file) => Config::load(&file),
            None => Ok(Config::defaults(absolute(cwd))),
        }
    }
}

/// Walks up from `path` (a file's directory, or the directory itself) to
/// the first directory holding `oncevar.toml`.
pub fn find(path: &Path) -> Option<PathBuf> {
    let start = absolute(path);
    let dir = if start.is_dir() {
        start.as_path()
    } else {
        start.parent()?
    };
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// An absolute path with `.` and `..` removed lexically, so that paths
/// reached different ways compare equal (symlinks are not resolved, so a
/// path stays the one the user wrote).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
