//! Project configuration: `oncevar.toml`, found by walking up from the
//! scanned path (or named with `--config`). A project writes down once which
//! files to scan, which codes it cares about and which extra types are
//! Python objects; the scan applies it through a compiled [`Policy`].
//!
//! Every mistake in the file is an error naming the file, the line and the
//! key, because a silently ignored setting is worse than none.
//!
//! Three seams, one file each: `discover` finds the file (walking up from
//! the scanned paths), `parse` reads the TOML and checks every value,
//! pointing at the offending key with `toml`'s spans, and `policy` compiles
//! the effective settings (the file's, with the command line's applied over
//! them by the binary) into the [`Policy`] the scan applies. This module
//! holds the effective [`Config`] and its errors. `user` reads the user's
//! own configuration ([`UserConfig`]), which holds what a project's file
//! may not decide: which compilers oncevar may run.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::diagnostic::Code;
use crate::options::{AnalysisOptions, DEFAULT_RUNTIME_INCLUDE};

mod discover;
mod parse;
mod policy;
mod user;

pub use discover::{absolute, find, FILE_NAME};
pub use parse::{runtime_include, unknown_code};
pub use policy::{Overrides, Policy};
pub use user::{compiler_glob, UserConfig};

/// Where C extensions bundle other projects' code, as gitignore globs (a
/// glob without a slash but at its end matches at any depth). The folder
/// names GitHub's linguist counts as vendored (its `vendor.yml`:
/// `vendor/`, `third_party/`, `3rdparty/`, `deps/`, `external/`) and the
/// libraries bundled in the 39 source distributions `scripts/realworld.sh`
/// scans, in ujson and in CPython: hiredis's `vendor/`, xxhash's and
/// ujson's `deps/`, lz4's `lz4libs/`, zstandard's `zstd/` (its amalgamated
/// `zstd.c` and headers), pillow's `thirdparty/`, cffi's bundled libffi
/// headers (`libffi_x86_x64/`, `libffi_arm64/`), CPython's `libmpdec/`,
/// `expat/` and `libffi_osx/`, and SQLite's amalgamation.
///
/// The last glob, `!pythoncapi_compat.h`, keeps that header scanned
/// wherever it is copied (pillow's sits in `thirdparty/`): its `static
/// inline` helpers (their lazy caches, the OV401 races of a module
/// claiming no GIL) are compiled into the project's own module, so they
/// are the project's to see and fix. A glob of the file's own (as
/// `extend-vendored` adds after it) vendors it again: in gitignore
/// syntax the last glob that matches a path decides.
pub const DEFAULT_VENDORED: &[&str] = &[
    "vendor/",
    "vendors/",
    "vendored/",
    "third_party/",
    "third-party/",
    "thirdparty/",
    "3rdparty/",
    "3rd_party/",
    "deps/",
    "external/",
    "**/zstd/zstd.c",
    "**/zstd/lib/",
    "**/zstd/common/",
    "**/zstd/compress/",
    "**/zstd/decompress/",
    "**/zstd/dictBuilder/",
    "**/zstd/legacy/",
    "lz4libs/",
    "libmpdec/",
    "expat/",
    "libffi_osx/",
    "libffi_x86_x64/",
    "libffi_arm64/",
    "sqlite3.c",
    "sqlite3.h",
    "!pythoncapi_compat.h",
];

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
    /// Vendored third-party code (gitignore syntax, relative to `root`):
    /// not scanned when a folder's walk finds it, so neither its sites nor
    /// its parse errors are reported, but still read as a header where a
    /// scanned file includes it (its macros, types and calls stay part of
    /// that unit's facts); a file named on the command line is scanned.
    /// [`DEFAULT_VENDORED`] unless the file's `vendored` replaces them;
    /// `extend-vendored` adds to them; `--include-vendored` empties it.
    pub vendored: Vec<String>,
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
            vendored: DEFAULT_VENDORED.iter().map(|&g| g.to_owned()).collect(),
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

    /// What the analysis needs from the configuration.
    pub fn analysis_options(&self) -> AnalysisOptions {
        AnalysisOptions {
            object_types: self.object_types.clone(),
            object_pointer_typedefs: self.object_pointer_typedefs.clone(),
            ..AnalysisOptions::default()
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

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
        for control in ["a\\n#define X.h", "a\\u001b.h", "\\\"a\\t.h\\\""] {
            let e = error(&format!("runtime-include = \"{control}\""));
            assert!(e.contains("not a header name"), "{e}");
        }
    }

    #[test]
    fn mistakes_name_file_line_and_key() {
        assert_eq!(
            error("select = [\"OV101\"]\nexlude = [\"x\"]\n"),
            "/p/oncevar.toml:2:1: key `exlude`: unknown key `exlude`, expected one of \
             `include`, `exclude`, `vendored`, `extend-vendored`, `object-types`, `object-pointer-typedefs`, \
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
