//! The effective settings: the command line's applied over the file's
//! ([`Overrides`]), then compiled for the scan ([`Policy`]: the include and
//! exclude globs, the codes turned off everywhere and per path).

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::{absolute, Config, ConfigError};
use crate::diagnostic::Code;

/// What the command line sets over the configuration file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--select`: replaces the file's `select`.
    pub select: Option<Vec<Code>>,
    /// `--ignore`: added to the file's `ignore`.
    pub ignore: Vec<Code>,
    /// `--runtime-include`: replaces the file's `runtime-include`.
    pub runtime_include: Option<String>,
    /// `--include-vendored`: nothing is vendored (the file's `vendored`
    /// and the defaults go).
    pub include_vendored: bool,
}

impl Config {
    /// Applies the command line's `overrides` over the file's settings:
    /// `select` and `runtime_include` replace, `ignore` adds; code lists
    /// stay sorted and without duplicates.
    pub fn apply(&mut self, overrides: Overrides) {
        if let Some(mut select) = overrides.select {
            select.sort();
            select.dedup();
            self.select = select;
        }
        self.ignore.extend(overrides.ignore);
        self.ignore.sort();
        self.ignore.dedup();
        if let Some(include) = overrides.runtime_include {
            self.runtime_include = include;
        }
        if overrides.include_vendored {
            self.vendored.clear();
        }
    }

    /// Compiles the file filter and the code selection.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Glob`] when a glob does not compile (possible only for
    /// a `Config` not made by [`Config::parse`], which checks them).
    pub fn policy(&self) -> Result<Policy, ConfigError> {
        let matcher = |globs: &[String]| -> Result<Option<Gitignore>, ConfigError> {
            if globs.is_empty() {
                return Ok(None);
            }
            let mut builder = GitignoreBuilder::new(&self.root);
            for glob in globs {
                builder
                    .add_line(None, glob)
                    .map_err(|error| ConfigError::Glob {
                        glob: glob.clone(),
                        error,
                    })?;
            }
            builder
                .build()
                .map(Some)
                .map_err(|error| ConfigError::Glob {
                    glob: globs.join(", "),
                    error,
                })
        };
        let mut per_path = Vec::new();
        for (glob, codes) in &self.per_path_ignores {
            if let Some(m) = matcher(std::slice::from_ref(glob))? {
                per_path.push((m, codes.clone()));
            }
        }
        Ok(Policy {
            root: self.root.clone(),
            include: matcher(&self.include)?,
            exclude: matcher(&self.exclude)?,
            vendored: matcher(&self.vendored)?,
            disabled: Code::ALL
                .into_iter()
                .filter(|c| !self.select.contains(c) || self.ignore.contains(c))
                .collect(),
            per_path,
        })
    }
}

/// The compiled configuration the scan applies: which files, which codes.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// What the globs are relative to; files outside it match none.
    root: PathBuf,
    include: Option<Gitignore>,
    exclude: Option<Gitignore>,
    vendored: Option<Gitignore>,
    /// Codes off everywhere.
    disabled: Vec<Code>,
    /// Codes off in files matching a glob.
    per_path: Vec<(Gitignore, Vec<Code>)>,
}

impl Policy {
    /// Whether the configuration lets `path` be scanned. It applies to every
    /// file, named or walked, so a hook that names files honours it. A file
    /// outside the root matches no glob: with `include` set it is not
    /// scanned, and `exclude` never drops it.
    pub fn selects_file(&self, path: &Path) -> bool {
        if self.include.is_none() && self.exclude.is_none() {
            return true;
        }
        let path = absolute(path);
        let under_root = path.starts_with(&self.root);
        let matches =
            |m: &Gitignore| under_root && m.matched_path_or_any_parents(&path, false).is_ignore();
        self.include.as_ref().is_none_or(matches) && !self.exclude.as_ref().is_some_and(matches)
    }

    /// Whether `path` is vendored third-party code: a `vendored` glob
    /// matches it or a folder above it, under the root (a file outside the
    /// root matches none). Such a file is not scanned when a folder's walk
    /// finds it (one named on the command line is), but is still read
    /// where a scanned file includes it.
    pub fn is_vendored(&self, path: &Path) -> bool {
        let Some(vendored) = &self.vendored else {
            return false;
        };
        let path = absolute(path);
        path.starts_with(&self.root)
            && vendored
                .matched_path_or_any_parents(&path, false)
                .is_ignore()
    }

    /// Whether findings of `code` are reported in `path`: not when the code
    /// is off everywhere, or off by a `per-path-ignores` glob matching the
    /// path (which never matches outside the root).
    pub fn reports(&self, path: &Path, code: Code) -> bool {
        if self.disabled.contains(&code) {
            return false;
        }
        if self.per_path.is_empty() {
            return true;
        }
        let path = absolute(path);
        if !path.starts_with(&self.root) {
            return true;
        }
        !self.per_path.iter().any(|(m, codes)| {
            codes.contains(&code) && m.matched_path_or_any_parents(&path, false).is_ignore()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_replaces_select_and_adds_to_ignore() {
        let mut config = Config::defaults(PathBuf::from("/p"));
        config.ignore = vec![Code::OV301];
        config.apply(Overrides {
            select: Some(vec![Code::OV102, Code::OV101, Code::OV102]),
            ignore: vec![Code::OV201, Code::OV301],
            runtime_include: Some("<oncevar.h>".to_owned()),
            include_vendored: false,
        });
        assert_eq!(config.select, [Code::OV101, Code::OV102]);
        assert_eq!(config.ignore, [Code::OV201, Code::OV301]);
        assert_eq!(config.runtime_include, "<oncevar.h>");
        let before = config.clone();
        config.apply(Overrides::default());
        assert_eq!(config.select, before.select);
        assert_eq!(config.ignore, before.ignore);
        assert_eq!(config.runtime_include, before.runtime_include);
    }
}
