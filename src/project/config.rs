//! Project configuration: `oncevar.toml`, found by walking up from the
//! scanned path (or named with `--config`). A project writes down once which
//! files to scan, which codes it cares about and which extra types are
//! Python objects; the scan applies it through a compiled [`Policy`].
//!
//! Every mistake in the file is an error naming the file, the line and the
//! key, because a silently ignored setting is worse than none.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::Code;
use crate::options::{AnalysisOptions, DEFAULT_RUNTIME_INCLUDE};

/// The file looked for in the scanned directory and its parents.
pub const FILE_NAME: &str = "oncevar.toml";

/// `oncevar.toml` as written. Keys are kebab-case; unknown keys are errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    object_types: Vec<Spanned<String>>,
    #[serde(default)]
    object_pointer_typedefs: Vec<Spanned<String>>,
    #[serde(default)]
    include_dirs: Vec<Spanned<String>>,
    runtime_include: Option<Spanned<String>>,
    compile_commands: Option<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    per_path_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

/// The error text for a code that does not exist, listing those that do.
pub fn unknown_code(text: &str) -> String {
    let known: Vec<String> = crate::rules::RULES
        .iter()
        .map(|r| format!("{} ({})", r.code, r.name))
        .collect();
    format!(
        "unknown code `{text}`; known codes (or their names): {}",
        known.join(", ")
    )
}

/// The effective configuration: the file's settings over the defaults, then
/// the command line's over those. `--show-config` prints it as TOML.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Config {
    /// The file it came from; `None` when no file was found or `--no-config`.
    #[serde(skip)]
    pub file: Option<PathBuf>,
    /// The directory that globs are relative to: the file's directory, or
    /// the current directory without a file.
    #[serde(skip)]
    pub root: PathBuf,
    /// Scan only files matching one of these (gitignore syntax, relative to
    /// `root`; a file outside `root` matches none); all when empty.
    pub include: Vec<String>,
    /// Skip files matching one of these (gitignore syntax).
    pub exclude: Vec<String>,
    /// Extra type names whose pointers are Python objects.
    pub object_types: Vec<String>,
    /// Extra typedef names that are themselves pointers to Python objects.
    pub object_pointer_typedefs: Vec<String>,
    /// Folders where quoted `#include`s are looked for (after the including
    /// file's folder and the scanned directories): written relative to
    /// `root`, held joined to it; each was a directory when read.
    pub include_dirs: Vec<PathBuf>,
    /// The `#include` argument of the runtime header, with its quotes or
    /// angle brackets: `"oncevar.h"`. The rewriter adds it once per file.
    pub runtime_include: String,
    /// The compilation database (`compile_commands.json`): written relative
    /// to the root, held joined to it; `None`: looked for under the root (see
    /// [`crate::project::compdb::DISCOVERED`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compile_commands: Option<PathBuf>,
    /// Codes reported, sorted, once each (all by default). `select`,
    /// `ignore` and `per-path-ignores` work as ruff's `select`, `ignore` and
    /// `per-file-ignores` do.
    pub select: Vec<Code>,
    /// Codes never reported, even when selected; sorted, once each.
    pub ignore: Vec<Code>,
    /// Codes not reported in files matching a glob (gitignore syntax).
    pub per_path_ignores: BTreeMap<String, Vec<Code>>,
}

/// Why the configuration cannot be used; each names the file, and where it
/// can the line, column and key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read (missing, unreadable, not UTF-8).
    #[error("cannot read configuration {}: {error}", path.display())]
    Read {
        /// The configuration file, as given.
        path: PathBuf,
        /// Why reading failed.
        error: std::io::Error,
    },
    /// The file is not valid TOML, has an unknown key or a value of the
    /// wrong type, or a value that does not check (a bad glob, type name,
    /// header name or code, a missing include folder, an empty path).
    #[error("{}:{line}:{column}: {}{message}", path.display(), key.as_ref().map(|k| format!("key `{k}`: ")).unwrap_or_default())]
    Invalid {
        /// The configuration file, as passed to [`Config::parse`] (absolute
        /// when read by [`Config::load`]).
        path: PathBuf,
        /// 1-based line of the mistake.
        line: usize,
        /// 1-based column of the mistake, in characters.
        column: usize,
        /// The dotted key the mistake is under, when there is one.
        key: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The scanned paths lie under different `oncevar.toml` files.
    #[error(
        "the scanned paths use different configuration files, {} and {}; scan them separately or name one with --config",
        first.display(),
        second.display()
    )]
    Conflict {
        /// The file found for an earlier path.
        first: PathBuf,
        /// The other file, found for a later path.
        second: PathBuf,
    },
    /// A glob did not compile into a matcher (the file's globs are checked
    /// when it is read, so this is rare).
    #[error("invalid glob `{glob}`: {error}")]
    Glob {
        /// The glob (or all of a list, comma-separated, when the list as a
        /// whole failed).
        glob: String,
        /// The `ignore` crate's reason.
        error: ignore::Error,
    },
}

impl Config {
    /// The configuration without a file: everything scanned, every code.
    pub fn defaults(root: PathBuf) -> Config {
        Config {
            file: None,
            root,
            include: Vec::new(),
            exclude: Vec::new(),
            object_types: Vec::new(),
            object_pointer_typedefs: Vec::new(),
            include_dirs: Vec::new(),
            runtime_include: DEFAULT_RUNTIME_INCLUDE.to_owned(),
            compile_commands: None,
            select: Code::ALL.to_vec(),
            ignore: Vec::new(),
            per_path_ignores: BTreeMap::new(),
        }
    }

    /// Reads and checks one configuration file, as [`Config::parse`] does;
    /// its globs and paths are relative to the file's directory.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Read`] when it cannot be read, and
    /// [`ConfigError::Invalid`] as [`Config::parse`].
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
            path: path.to_owned(),
            error,
        })?;
        let path = absolute(path);
        let root = path.parent().map(Path::to_owned).unwrap_or_default();
        Config::parse(&text, &path, root)
    }

    /// Checks `text` as the contents of `path`; globs and paths are relative
    /// to `root`. Settings the file leaves out keep their defaults.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] at the first mistake, with the 1-based line
    /// and column (characters) of the offending key or value and its dotted
    /// key.
    pub fn parse(text: &str, path: &Path, root: PathBuf) -> Result<Config, ConfigError> {
        let invalid = |span: Range<usize>, message: String| {
            let (line, column) = line_column(text, span.start);
            ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                key: key_at(text, span.start),
                message,
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().replace("unknown field", "unknown key");
            invalid(e.span().unwrap_or(0..0), message)
        })?;

        let mut config = Config::defaults(root);
        config.file = Some(path.to_owned());
        for (globs, into) in [
            (raw.include, &mut config.include),
            (raw.exclude, &mut config.exclude),
        ] {
            for glob in globs {
                check_glob(&config.root, glob.get_ref())
                    .map_err(|message| invalid(glob.span(), message))?;
                into.push(glob.into_inner());
            }
        }
        for (names, into) in [
            (raw.object_types, &mut config.object_types),
            (
                raw.object_pointer_typedefs,
                &mut config.object_pointer_typedefs,
            ),
        ] {
            for name in names {
                let squashed = name.get_ref().split_whitespace().collect::<Vec<_>>();
                if !is_type_name(&squashed) {
                    return Err(invalid(
                        name.span(),
                        format!(
                            "`{}` is not a C type name (write `MyObject` or `struct my_object`)",
                            name.get_ref()
                        ),
                    ));
                }
                into.push(squashed.join(" "));
            }
        }
        for dir in raw.include_dirs {
            let path = config.root.join(dir.get_ref());
            if !path.is_dir() {
                return Err(invalid(
                    dir.span(),
                    format!("include folder `{}` is not a directory", dir.get_ref()),
                ));
            }
            config.include_dirs.push(path);
        }
        if let Some(include) = raw.runtime_include {
            config.runtime_include = runtime_include(include.get_ref())
                .ok_or_else(|| {
                    invalid(
                        include.span(),
                        format!(
                            "`{}` is not a header name (write `oncevar.h`, `\"oncevar.h\"` or `<oncevar.h>`)",
                            include.get_ref()
                        ),
                    )
                })?;
        }
        if let Some(db) = raw.compile_commands {
            if db.get_ref().trim().is_empty() {
                return Err(invalid(
                    db.span(),
                    "is empty (write the path of a compile_commands.json)".to_owned(),
                ));
            }
            config.compile_commands = Some(config.root.join(db.get_ref()));
        }
        let codes = |list: Vec<Spanned<String>>| -> Result<Vec<Code>, ConfigError> {
            let mut codes = Vec::new();
            for name in list {
                let code = Code::parse(name.get_ref())
                    .ok_or_else(|| invalid(name.span(), unknown_code(name.get_ref())))?;
                codes.push(code);
            }
            codes.sort();
            codes.dedup();
            Ok(codes)
        };
        if let Some(select) = raw.select {
            config.select = codes(select)?;
        }
        config.ignore = codes(raw.ignore)?;
        for (glob, list) in raw.per_path_ignores {
            check_glob(&config.root, glob.get_ref())
                .map_err(|message| invalid(glob.span(), message))?;
            config
                .per_path_ignores
                .insert(glob.into_inner(), codes(list)?);
        }
        Ok(config)
    }

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

    /// What the analysis needs from the configuration.
    pub fn analysis_options(&self) -> AnalysisOptions {
        AnalysisOptions {
            object_types: self.object_types.clone(),
            object_pointer_typedefs: self.object_pointer_typedefs.clone(),
            ..AnalysisOptions::default()
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
            disabled: Code::ALL
                .into_iter()
                .filter(|c| !self.select.contains(c) || self.ignore.contains(c))
                .collect(),
            per_path,
        })
    }

    /// The effective configuration as TOML, headed by where it came from.
    ///
    /// # Panics
    ///
    /// If a field does not serialise as TOML: a bug (every field is a
    /// string, list or table of strings; a unit test round-trips it).
    pub fn to_toml(&self) -> String {
        let origin = match &self.file {
            Some(file) => format!("# from {}", file.display()),
            None => format!("# no {FILE_NAME} found: defaults"),
        };
        let body = toml::to_string(self).expect("the configuration serializes as TOML");
        format!("{origin}\n{}\n", body.trim_end())
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

fn check_glob(root: &Path, glob: &str) -> Result<(), String> {
    if glob.trim().is_empty() {
        return Err("empty glob".to_owned());
    }
    let mut builder = GitignoreBuilder::new(root);
    builder
        .add_line(None, glob)
        .map(|_| ())
        .map_err(|e| format!("invalid glob `{glob}`: {}", glob_error(&e)))
}

fn glob_error(error: &ignore::Error) -> String {
    match error {
        ignore::Error::Glob { err, .. } => err.clone(),
        other => other.to_string(),
    }
}

/// `MyObject`, `struct my_object`: identifiers only, `struct` first if two.
fn is_type_name(words: &[&str]) -> bool {
    let ident = |w: &str| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    match words {
        [name] => ident(name),
        ["struct", name] => ident(name),
        _ => false,
    }
}

/// Normalises the runtime include to its `#include` argument: a bare
/// `oncevar.h` gains quotes; `"…"` and `<…>` are kept.
fn runtime_include(text: &str) -> Option<String> {
    let text = text.trim();
    let valid = |name: &str| {
        !name.is_empty() && !name.contains(['"', '<', '>', '\n', '\r']) && name.trim() == name
    };
    if let Some(name) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        valid(name).then(|| text.to_owned())
    } else if let Some(name) = text.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
        valid(name).then(|| text.to_owned())
    } else {
        valid(text).then(|| format!("\"{text}\""))
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The dotted key whose key or value holds `offset`: `per-path-ignores."a/**"`.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let table = toml::de::DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    walk_table(table.get_ref(), offset, &mut path);
    (!path.is_empty()).then(|| path.join("."))
}

/// Pushes the keys leading to `offset`; whether it found one. A table
/// opened by a `[header]` spans only its header, so tables are searched too.
fn walk_table(table: &toml::de::DeTable<'_>, offset: usize, path: &mut Vec<String>) -> bool {
    for (key, value) in table.iter() {
        let holds = key.span().contains(&offset) || value.span().contains(&offset);
        path.push(dotted_key(key.get_ref()));
        if walk_value(value.get_ref(), offset, path) || holds {
            return true;
        }
        path.pop();
    }
    false
}

fn walk_value(value: &toml::de::DeValue<'_>, offset: usize, path: &mut Vec<String>) -> bool {
    match value {
        toml::de::DeValue::Table(table) => walk_table(table, offset, path),
        toml::de::DeValue::Array(items) => items
            .iter()
            .any(|i| i.span().contains(&offset) && walk_value(i.get_ref(), offset, path)),
        _ => false,
    }
}

/// A key as TOML would write it: bare when it can be, quoted otherwise.
fn dotted_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_owned()
    } else {
        format!("{key:?}")
    }
}

/// The compiled configuration the scan applies: which files, which codes.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// What the globs are relative to; files outside it match none.
    root: PathBuf,
    include: Option<Gitignore>,
    exclude: Option<Gitignore>,
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

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/p/oncevar.toml"), PathBuf::from("/p"))
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn include_dirs_are_folders_under_the_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("inc")).unwrap();
        let file = dir.path().join("oncevar.toml");
        let c = Config::parse("include-dirs = [\"inc\"]", &file, dir.path().to_path_buf()).unwrap();
        assert_eq!(c.include_dirs, [dir.path().join("inc")]);
        let e = Config::parse("include-dirs = [\"gone\"]", &file, dir.path().to_path_buf())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("key `include-dirs`") && e.contains("not a directory"),
            "{e}"
        );
    }

    #[test]
    fn a_full_file_is_read() {
        let c = parse(
            r#"
include = ["Modules/**"]
exclude = ["Modules/_test*.c"]
object-types = ["MyObject", "struct  my_object"]
object-pointer-typedefs = ["MyRef"]
runtime-include = "<oncevar.h>"
select = ["ov101", "OV102", "OV301"]
ignore = ["OV301"]

[per-path-ignores]
"Modules/_decimal/**" = ["OV102"]
"#,
        )
        .unwrap();
        assert_eq!(c.object_types, ["MyObject", "struct my_object"]);
        assert_eq!(c.runtime_include, "<oncevar.h>");
        assert_eq!(c.select, [Code::OV101, Code::OV102, Code::OV301]);
        let p = c.policy().unwrap();
        assert!(p.selects_file(Path::new("/p/Modules/a.c")));
        assert!(!p.selects_file(Path::new("/p/Modules/_testcapi.c")));
        assert!(!p.selects_file(Path::new("/p/Objects/a.c")));
        assert!(p.reports(Path::new("/p/Modules/a.c"), Code::OV101));
        assert!(!p.reports(Path::new("/p/Modules/a.c"), Code::OV201));
        assert!(!p.reports(Path::new("/p/Modules/a.c"), Code::OV301));
        assert!(!p.reports(Path::new("/p/Modules/_decimal/x/y.c"), Code::OV102));
        assert!(p.reports(Path::new("/p/Modules/a.c"), Code::OV102));
    }

    #[test]
    fn defaults_report_everything() {
        let c = parse("").unwrap();
        assert_eq!(c.runtime_include, "\"oncevar.h\"");
        assert_eq!(c.select, Code::ALL);
        let p = c.policy().unwrap();
        assert!(p.selects_file(Path::new("/elsewhere/x.c")));
        assert!(Code::ALL
            .iter()
            .all(|&code| p.reports(Path::new("/p/x.c"), code)));
    }

    #[test]
    fn a_bare_runtime_include_gains_quotes() {
        let c = parse("runtime-include = \"py/oncevar.h\"").unwrap();
        assert_eq!(c.runtime_include, "\"py/oncevar.h\"");
        assert!(error("runtime-include = \"<a.h\"").contains("not a header name"));
    }

    #[test]
    fn mistakes_name_file_line_and_key() {
        assert_eq!(
            error("select = [\"OV101\"]\nexlude = [\"x\"]\n"),
            "/p/oncevar.toml:2:1: key `exlude`: unknown key `exlude`, expected one of \
             `include`, `exclude`, `object-types`, `object-pointer-typedefs`, \
             `include-dirs`, `runtime-include`, `compile-commands`, `select`, `ignore`, `per-path-ignores`"
        );
        let e = error("\n\nselect = [\n  \"OV101\",\n  \"OV999\",\n]\n");
        assert!(
            e.starts_with("/p/oncevar.toml:5:3: key `select`: unknown code `OV999`"),
            "{e}"
        );
        let e = error("exclude = 3\n");
        assert!(
            e.starts_with("/p/oncevar.toml:1:11: key `exclude`: invalid type"),
            "{e}"
        );
        let e = error("[per-path-ignores]\n\"a/**\" = [\"OV1\"]\n");
        assert!(
            e.starts_with("/p/oncevar.toml:2:11: key `per-path-ignores.\"a/**\"`: unknown code"),
            "{e}"
        );
        let e = error("include = [\"a/{b\"]\n");
        assert!(
            e.starts_with("/p/oncevar.toml:1:12: key `include`: invalid glob `a/{b`"),
            "{e}"
        );
        let e = error("object-types = [\"My Object\"]\n");
        assert!(
            e.contains("key `object-types`: `My Object` is not a C type name"),
            "{e}"
        );
        let e = error("select = [\"OV101\"\n");
        assert!(e.starts_with("/p/oncevar.toml:"), "{e}");
    }

    #[test]
    fn show_config_round_trips() {
        let c = parse("exclude = [\"build/\"]\nignore = [\"OV301\"]\n[per-path-ignores]\n\"t/**\" = [\"OV101\"]\n")
            .unwrap();
        let text = c.to_toml();
        assert!(text.starts_with("# from /p/oncevar.toml\n"), "{text}");
        let again = parse(&text).unwrap();
        assert_eq!(again.to_toml(), text);
    }

    #[test]
    fn walking_up_finds_the_nearest_file() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("x.c"), "").unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        let found = find(&sub.join("x.c")).unwrap();
        assert_eq!(found, absolute(&dir.path().join(FILE_NAME)));
        std::fs::write(dir.path().join("a").join(FILE_NAME), "").unwrap();
        assert_eq!(
            find(&sub).unwrap(),
            absolute(&dir.path().join("a").join(FILE_NAME))
        );
        let err =
            Config::resolve(&[sub.clone(), dir.path().to_owned()], None, dir.path()).unwrap_err();
        assert!(matches!(err, ConfigError::Conflict { .. }));
    }

    #[test]
    fn absolute_paths_drop_dots() {
        assert_eq!(absolute(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
