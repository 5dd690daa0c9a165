//! Reading `oncevar.toml`: serde through `toml`, every value checked, and
//! each mistake located with the span `toml` gives the value (or the
//! parse error), turned into a line, a column and the dotted key.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use ignore::gitignore::GitignoreBuilder;
use serde::Deserialize;
use toml::Spanned;

use super::{absolute, Config, ConfigError};
use crate::diagnostic::Code;

/// `oncevar.toml` as written. Keys are kebab-case; unknown keys are errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    vendored: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    extend_vendored: Vec<Spanned<String>>,
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

impl Config {
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
            let mut message = e.message().trim().replace("unknown field", "unknown key");
            if message.starts_with("unknown key `trusted-compilers`") {
                message = super::user::NOT_A_PROJECT_KEY.to_owned();
            }
            invalid(e.span().unwrap_or(0..0), message)
        })?;

        let mut config = Config::defaults(root);
        config.file = Some(path.to_owned());
        // `vendored` replaces the defaults, `extend-vendored` adds to them.
        let mut vendored = raw.vendored.unwrap_or_else(|| {
            config
                .vendored
                .drain(..)
                .map(|glob| Spanned::new(0..0, glob))
                .collect()
        });
        config.vendored.clear();
        vendored.extend(raw.extend_vendored);
        for (globs, into) in [
            (raw.include, &mut config.include),
            (raw.exclude, &mut config.exclude),
            (vendored, &mut config.vendored),
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
                .map_err(|message| invalid(include.span(), message))?;
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

/// Normalises the runtime include (`runtime-include` in the file, or
/// `--runtime-include`) to its `#include` argument: a bare `oncevar.h`
/// gains quotes; `"…"` and `<…>` are kept.
///
/// # Errors
///
/// The message to show when `text` is not a header name: empty, with a
/// quote or angle bracket inside, padded with spaces inside its quotes, or
/// holding a control character (a line break would put a line of the
/// user's text into every fixed file).
pub fn runtime_include(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let valid = |name: &str| {
        !name.is_empty()
            && !name.contains(['"', '<', '>'])
            && !name.chars().any(char::is_control)
            && name.trim() == name
    };
    let normalised = if let Some(name) = trimmed.strip_prefix('"').and_then(|t| t.strip_suffix('"'))
    {
        valid(name).then(|| trimmed.to_owned())
    } else if let Some(name) = trimmed.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
        valid(name).then(|| trimmed.to_owned())
    } else {
        valid(trimmed).then(|| format!("\"{trimmed}\""))
    };
    normalised.ok_or_else(|| {
        format!(
            "`{}` is not a header name (write `oncevar.h`, `\"oncevar.h\"` or `<oncevar.h>`)",
            text.escape_debug()
        )
    })
}

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The dotted key whose key or value holds `offset`: `per-path-ignores."a/**"`.
pub(super) fn key_at(text: &str, offset: usize) -> Option<String> {
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
