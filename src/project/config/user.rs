//! The user's own configuration: what only the person running oncevar may
//! decide, never a project it scans. A repository's `oncevar.toml` is as
//! much a stranger's file as its code, so trust cannot come from it: the
//! compilers of a compilation database that oncevar may run are listed
//! here (`trusted-compilers`), as clangd takes its `--query-driver`
//! allowlist from the user and never from the project's `.clangd`.
//!
//! The file is `oncevar/config.toml` under `$XDG_CONFIG_HOME`, else under
//! `$HOME/.config` (the XDG Base Directory specification's default); a
//! missing file is an empty configuration.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::ConfigError;

/// What `oncevar.toml` says about `trusted-compilers`: it is the user's.
pub const NOT_A_PROJECT_KEY: &str = "`trusted-compilers` is read only from the user's own \
     configuration (oncevar/config.toml under $XDG_CONFIG_HOME or ~/.config), never from a \
     project's oncevar.toml: a repository cannot trust its own compilers";

/// The largest user configuration read, in bytes.
const MAX_SIZE: u64 = 1024 * 1024;

/// The user's configuration as written. Unknown keys are errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawUserConfig {
    #[serde(default)]
    trusted_compilers: Vec<Spanned<String>>,
}

/// The user's configuration, read and checked.
#[derive(Clone, Debug, Default)]
pub struct UserConfig {
    /// The file it came from; `None` when there is none.
    pub file: Option<PathBuf>,
    /// Globs of compiler paths whose commands oncevar may run from any
    /// compilation database, found or named, as clangd's `--query-driver`:
    /// matched against the compiler's absolute path (a bare name is looked
    /// up on `PATH` first), `*` within one path component, `**` across
    /// them. A matching compiler may lie anywhere; its command's flags are
    /// still checked (see [`crate::project::trust`]).
    pub trusted_compilers: Vec<String>,
}

impl UserConfig {
    /// Where the user's configuration is: `$XDG_CONFIG_HOME/oncevar/config.toml`
    /// when that variable holds an absolute path, else
    /// `$HOME/.config/oncevar/config.toml`; `None` when neither is set.
    pub fn path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| {
                std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .filter(|p| p.is_absolute())
                    .map(|home| home.join(".config"))
            })?;
        Some(base.join("oncevar").join("config.toml"))
    }

    /// Reads the user's configuration from [`UserConfig::path`]; an empty
    /// one when there is no such file.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Read`] when the file exists but cannot be read (or is
    /// not a regular file, or is over 1 MiB), and [`ConfigError::Invalid`]
    /// as [`UserConfig::parse`].
    pub fn load() -> Result<UserConfig, ConfigError> {
        match UserConfig::path() {
            Some(path) if path.exists() => UserConfig::load_from(&path),
            _ => Ok(UserConfig::default()),
        }
    }

    /// Reads and checks the user's configuration at `path`.
    ///
    /// # Errors
    ///
    /// As [`UserConfig::load`].
    pub fn load_from(path: &Path) -> Result<UserConfig, ConfigError> {
        let read_error = |error| ConfigError::Read {
            path: path.to_owned(),
            error,
        };
        let bytes = crate::scan::source::read_regular(path, MAX_SIZE)
            .map_err(|e| read_error(std::io::Error::other(e.to_string())))?;
        let text = String::from_utf8(bytes)
            .map_err(|e| read_error(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        UserConfig::parse(&text, path)
    }

    /// Checks `text` as the contents of the user's configuration `path`.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] at the first mistake (an unknown key, a
    /// value of the wrong type, a glob that does not compile), with its
    /// 1-based line and column and its key.
    pub fn parse(text: &str, path: &Path) -> Result<UserConfig, ConfigError> {
        let invalid = |span: std::ops::Range<usize>, message: String| {
            let (line, column) = super::parse::line_column(text, span.start);
            ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                key: super::parse::key_at(text, span.start),
                message,
            }
        };
        let raw: RawUserConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().replace("unknown field", "unknown key");
            invalid(e.span().unwrap_or(0..0), message)
        })?;
        let mut config = UserConfig {
            file: Some(path.to_owned()),
            trusted_compilers: Vec::new(),
        };
        for glob in raw.trusted_compilers {
            if glob.get_ref().trim().is_empty() {
                return Err(invalid(glob.span(), "empty glob".to_owned()));
            }
            compiler_glob(glob.get_ref()).map_err(|e| invalid(glob.span(), e))?;
            config.trusted_compilers.push(glob.into_inner());
        }
        Ok(config)
    }
}

/// One `trusted-compilers` glob as a matcher: `*` and `?` stay within a
/// path component, `**` crosses them (clangd's `--query-driver` globs).
///
/// # Errors
///
/// The glob's syntax error, as a message.
pub fn compiler_glob(glob: &str) -> Result<globset::GlobMatcher, String> {
    globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("invalid glob `{glob}`: {}", e.kind()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_compilers_are_globs_checked_when_read() {
        let c = UserConfig::parse(
            "trusted-compilers = [\"/usr/bin/gcc*\", \"/opt/**/bin/cc\"]\n",
            Path::new("/home/u/.config/oncevar/config.toml"),
        )
        .unwrap();
        assert_eq!(c.trusted_compilers, ["/usr/bin/gcc*", "/opt/**/bin/cc"]);
        let g = compiler_glob("/usr/bin/gcc*").unwrap();
        assert!(g.is_match("/usr/bin/gcc-12"));
        assert!(!g.is_match("/usr/bin/gcc/evil"), "* stays in one component");
        assert!(compiler_glob("/opt/**/bin/cc")
            .unwrap()
            .is_match("/opt/a/b/bin/cc"));
        let e = UserConfig::parse("trusted-compilers = [\"/a/{b\"]", Path::new("/c.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("/c.toml:1:22: key `trusted-compilers`: invalid glob"),
            "{e}"
        );
        let e = UserConfig::parse("select = []", Path::new("/c.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown key `select`"), "{e}");
    }
}
