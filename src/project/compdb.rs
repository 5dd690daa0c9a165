//! The compilation database (`compile_commands.json`, clang's format): which
//! files are built and with which flags. Each entry has a `directory`, a
//! `file`, either a `command` (one shell-quoted string) or `arguments` (a
//! list), and optionally an `output`. oncevar reads from it each unit's
//! include folders (`-I`, `-iquote`, `-isystem`), its macros (`-D`, `-U`),
//! and the command that compiles it, which `--fix` runs with
//! `-fsyntax-only` to verify a fix (see [`crate::fix::verify`]); and, for
//! `#if` evaluation ([`crate::scan::cond`]), what each unit's build defines:
//! its `-D`/`-U`, the Python headers on its include path (`patchlevel.h`,
//! `pyconfig.h`) and the names its include folders' headers touch.
//!
//! The format is Clang's "JSON Compilation Database Format Specification"
//! (as CMake's `CMAKE_EXPORT_COMPILE_COMMANDS` and Bear write it); an entry
//! with a field the specification does not name is refused.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::check::ScanReport;
use crate::diagnostic::{Reason, ReasonKind};
use crate::project::config::absolute;
use crate::scan::cond::{self, Builds, Env};
use crate::scan::source::{read_regular, ReadError};

/// Where a database is looked for under the project root, in this order.
pub const DISCOVERED: [&str; 2] = ["compile_commands.json", "build/compile_commands.json"];

/// One entry as clang writes it. Fields outside clang's format are
/// ignored, as clangd and clang-tidy ignore them: generators add their own
/// (a `language`, a `version`, a per-entry `hash`), and refusing them would
/// refuse databases that every other C tool reads.
#[derive(Debug, Deserialize)]
struct RawEntry {
    directory: String,
    file: String,
    #[serde(default)]
    command: Option<String>,
    #[serde(default)]
    arguments: Option<Vec<String>>,
    #[serde(default)]
    output: Option<String>,
}

/// A compilation unit: one entry of the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// The folder the command runs in: the entry's `directory`, resolved
    /// against the database's own folder when relative, always absolute
    /// and normalised.
    pub directory: PathBuf,
    /// The source file, absolute and normalised (no `.` or `..`).
    pub file: PathBuf,
    /// The command, split into words: the compiler first. Never empty in a
    /// loaded database.
    pub arguments: Vec<String>,
    /// The object file the command writes, if the entry says.
    pub output: Option<String>,
    /// `-I`, `-iquote` and `-isystem` folders, absolute, in command order.
    pub include_dirs: Vec<PathBuf>,
    /// `-D` and `-U` in command order: (name, Some(value)) for `-DNAME=value`
    /// (`Some("1")` for a bare `-DNAME`), (name, None) for `-UNAME`.
    pub macros: Vec<(String, Option<String>)>,
}

impl Unit {
    /// The value a macro has on this unit's command line: the last `-D` or
    /// `-U` of that name wins. `None` when it is not defined there.
    pub fn defined(&self, name: &str) -> Option<&str> {
        self.macros
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// What this unit's build defines (see [`crate::scan::cond`]).
    fn env(&self, folders: &mut Folders) -> Env {
        let mut env = Env {
            command_line: self.macros.iter().cloned().collect(),
            ..Env::default()
        };
        env.opaque = self.arguments.iter().any(|w| {
            ["-include", "-imacros", "--include", "--imacros"]
                .iter()
                .any(|p| w.starts_with(p))
        });
        // Python's headers: the first folder with patchlevel.h, and the
        // pyconfig.h beside it (Debian's forwards to the platform's one:
        // followed when exactly one of the headers it names exists).
        let python_dir = self
            .include_dirs
            .iter()
            .find(|d| d.join("patchlevel.h").is_file());
        let mut header_names = Some(HashSet::new());
        for dir in &self.include_dirs {
            match (folders.folder(dir), header_names.as_mut()) {
                (Some(names), Some(all)) => all.extend(names.iter().cloned()),
                _ => header_names = None,
            }
        }
        if let Some(python_dir) = python_dir {
            env.python = true;
            let mut python_files = headers_under(python_dir).unwrap_or_default();
            let mut sources = vec![python_dir.join("patchlevel.h")];
            let mut config = python_dir.join("pyconfig.h");
            for _ in 0..2 {
                if !config.is_file() {
                    break;
                }
                sources.push(config.clone());
                let forwards: Vec<PathBuf> = folders
                    .file(&config)
                    .includes
                    .iter()
                    .filter(|name| name.ends_with("pyconfig.h"))
                    .filter_map(|name| {
                        self.include_dirs
                            .iter()
                            .map(PathBuf::as_path)
                            .chain(SYSTEM_INCLUDE.iter().map(Path::new))
                            .map(|d| d.join(name))
                            .find(|p| p.is_file() && *p != config)
                    })
                    .collect();
                match forwards.as_slice() {
                    [one] => config = one.clone(),
                    _ => break,
                }
            }
            python_files.extend(sources.iter().cloned());
            python_files.sort();
            python_files.dedup();
            let mut count: HashMap<String, usize> = HashMap::new();
            for file in &python_files {
                for name in &folders.file(file).names {
                    *count.entry(name.clone()).or_default() += 1;
                }
            }
            for file in &sources {
                for (name, value, line) in &folders.file(file).top_level {
                    if count.get(name) == Some(&1) {
                        env.header_values.insert(name.clone(), value.clone());
                        env.header_origin
                            .insert(name.clone(), format!("{}:{line}", file.display()));
                    }
                }
            }
            env.python_names = count.into_keys().collect();
            if let Some(all) = header_names.as_mut() {
                all.extend(env.python_names.iter().cloned());
            }
        }
        env.header_names = header_names;
        env
    }
}

/// How many headers one include folder may hold (searched recursively)
/// before the names it may define are taken as unknown.
pub const MAX_FOLDER_HEADERS: usize = 4000;

/// How many directory entries a folder's search may visit.
const MAX_FOLDER_ENTRIES: usize = 40_000;

/// Where the compiler looks for `<...>` headers after the command's
/// folders; used only to follow Python's `pyconfig.h` to the platform's.
const SYSTEM_INCLUDE: [&str; 2] = ["/usr/local/include", "/usr/include"];

/// The largest header read for its definitions, in bytes (Python's
/// `pyconfig.h` is 50 KB; a generated header of a few megabytes is read).
pub const MAX_HEADER_SIZE: u64 = 16 * 1024 * 1024;

/// The largest compilation database read, in bytes (CPython's is 500 KB,
/// a browser's a few hundred megabytes).
pub const MAX_DATABASE_SIZE: u64 = 1024 * 1024 * 1024;

/// Headers read so far, by folder and by file: each is read once however
/// many units name it.
#[derive(Default)]
struct Folders {
    /// A folder's names (defined or undefined by its headers), `None`
    /// when it could not be searched whole.
    names: HashMap<PathBuf, Option<Arc<HashSet<String>>>>,
    definitions: HashMap<PathBuf, Arc<cond::Definitions>>,
    /// One line per header that could not be read (a FIFO, a device, a
    /// link to one, a file over [`MAX_HEADER_SIZE`]).
    warnings: Vec<String>,
}

impl Folders {
    fn folder(&mut self, dir: &Path) -> Option<Arc<HashSet<String>>> {
        if let Some(known) = self.names.get(dir) {
            return known.clone();
        }
        let found = headers_under(dir).map(|files| {
            let mut names = HashSet::new();
            for file in files {
                names.extend(self.file(&file).names.iter().cloned());
            }
            Arc::new(names)
        });
        self.names.insert(dir.to_owned(), found.clone());
        found
    }

    /// The definitions of the header at `path`, read with the guards of
    /// every file oncevar reads ([`read_regular`]); none, with a warning,
    /// when it cannot be read.
    fn file(&mut self, path: &Path) -> Arc<cond::Definitions> {
        if let Some(known) = self.definitions.get(path) {
            return known.clone();
        }
        let found = match read_regular(path, MAX_HEADER_SIZE) {
            Ok(bytes) => cond::definitions(&bytes),
            Err(ReadError::Vanished) => cond::Definitions::default(),
            Err(e) => {
                self.warnings.push(format!(
                    "{}: {e} (a header under an include folder of the compilation database): \
                     the names it may define are not known",
                    path.display()
                ));
                cond::Definitions::default()
            }
        };
        let found = Arc::new(found);
        self.definitions.insert(path.to_owned(), found.clone());
        found
    }
}

/// The header files under `dir`, recursively, sorted; `None` when it
/// cannot be read or holds too many.
fn headers_under(dir: &Path) -> Option<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    let mut visited = 0;
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).ok()? {
            visited += 1;
            if visited > MAX_FOLDER_ENTRIES {
                return None;
            }
            let entry = entry.ok()?;
            let path = entry.path();
            let kind = entry.file_type().ok()?;
            if kind.is_dir() {
                pending.push(path);
            } else {
                let header = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "h" | "hh" | "hpp" | "hxx" | "inc"));
                if header {
                    found.push(path);
                    if found.len() > MAX_FOLDER_HEADERS {
                        return None;
                    }
                }
            }
        }
    }
    found.sort();
    Some(found)
}

/// A loaded database: its path and units.
#[derive(Clone, Debug, Default)]
pub struct Database {
    /// The database file, as given.
    pub path: PathBuf,
    /// Its entries, in file order (a file may have several).
    pub units: Vec<Unit>,
    by_file: HashMap<PathBuf, usize>,
}

/// Why a database cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    /// The file cannot be read: missing, unreadable, not UTF-8, not a
    /// regular file (a FIFO, a device, a link to one), or over
    /// [`MAX_DATABASE_SIZE`].
    #[error("cannot read the compilation database {path}: {error}")]
    Read {
        /// The database file, as given.
        path: PathBuf,
        /// Why reading failed (shown in the message, so not a `source`:
        /// a report of the error's chain would say it twice).
        error: std::io::Error,
    },
    /// The file is not a JSON array.
    #[error("{path}: not a compilation database (a JSON array of entries): {message}")]
    Parse {
        /// The database file, as given.
        path: PathBuf,
        /// serde_json's reason, with its line and column.
        message: String,
    },
    /// One entry cannot be used: a missing field, neither
    /// `command` nor `arguments`, an empty command, an unclosed quote.
    #[error("{path}: entry {index} ({file}): {message}")]
    Entry {
        /// The database file, as given.
        path: PathBuf,
        /// The entry's 0-based index in the array.
        index: usize,
        /// The entry's `file` as written, or `?` when it has none.
        file: String,
        /// What is wrong with it.
        message: String,
    },
}

impl Database {
    /// Reads and parses the database at `path`. Returns it with one warning
    /// per entry whose file does not exist (the entry is kept: the file may
    /// be generated by the build). Relative `directory` values are taken
    /// from the database's own folder.
    ///
    /// # Errors
    ///
    /// [`DatabaseError::Read`] when the file cannot be read,
    /// [`DatabaseError::Parse`] when it is not a JSON array, and
    /// [`DatabaseError::Entry`] when an entry (named by its index and file)
    /// lacks `directory` or `file`, has neither `command` nor `arguments`, an empty
    /// one, or a command that does not split into words (an unclosed quote).
    pub fn load(path: &Path) -> Result<(Database, Vec<String>), DatabaseError> {
        let read_error = |error| DatabaseError::Read {
            path: path.to_owned(),
            error,
        };
        let bytes = read_regular(path, MAX_DATABASE_SIZE).map_err(|e| match e {
            ReadError::Io(error) => read_error(error),
            ReadError::Vanished => read_error(
                std::fs::metadata(path)
                    .err()
                    .unwrap_or_else(|| std::io::ErrorKind::NotFound.into()),
            ),
            other => read_error(std::io::Error::other(other.to_string())),
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|e| read_error(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        let base = absolute(parent.unwrap_or(Path::new(".")));
        Database::parse(&text, path, &base)
    }

    /// Parses database `text` read from `path`; relative `directory` values
    /// are taken from `base`, which should be absolute. Warnings as
    /// [`Database::load`].
    ///
    /// # Errors
    ///
    /// [`DatabaseError::Parse`] and [`DatabaseError::Entry`], as
    /// [`Database::load`].
    pub fn parse(
        text: &str,
        path: &Path,
        base: &Path,
    ) -> Result<(Database, Vec<String>), DatabaseError> {
        let raw: Vec<serde_json::Value> =
            serde_json::from_str(text).map_err(|e| DatabaseError::Parse {
                path: path.to_owned(),
                message: e.to_string(),
            })?;
        let mut db = Database {
            path: path.to_owned(),
            ..Database::default()
        };
        let mut warnings = Vec::new();
        for (index, value) in raw.into_iter().enumerate() {
            let name = value
                .get("file")
                .and_then(|f| f.as_str())
                .unwrap_or("?")
                .to_owned();
            let entry_error = |message: String| DatabaseError::Entry {
                path: path.to_owned(),
                index,
                file: name.clone(),
                message,
            };
            let entry: RawEntry =
                serde_json::from_value(value).map_err(|e| entry_error(e.to_string()))?;
            let arguments = match (&entry.arguments, &entry.command) {
                (Some(args), _) => args.clone(),
                (None, Some(command)) => split_command(command).map_err(entry_error)?,
                (None, None) => {
                    return Err(entry_error(
                        "has neither `command` nor `arguments`".to_owned(),
                    ))
                }
            };
            if arguments.is_empty() {
                return Err(entry_error("its command is empty".to_owned()));
            }
            let directory = absolute(&base.join(&entry.directory));
            let file = absolute(&directory.join(&entry.file));
            if !file.is_file() {
                warnings.push(format!(
                    "{}: entry {index}: {} does not exist",
                    path.display(),
                    file.display()
                ));
            }
            let (include_dirs, macros) = flags(&arguments[1..], &directory);
            db.by_file.entry(file.clone()).or_insert(db.units.len());
            db.units.push(Unit {
                directory,
                file,
                arguments,
                output: entry.output,
                include_dirs,
                macros,
            });
        }
        Ok((db, warnings))
    }

    /// The unit that compiles `file` (the first entry for it), if any.
    pub fn unit_for(&self, file: &Path) -> Option<&Unit> {
        self.by_file.get(&absolute(file)).map(|&i| &self.units[i])
    }

    /// Every unit's include folder that lies under `root` (the project's
    /// own folders, not the system's), once each, in database order;
    /// except the C API's own headers: a folder below `root` that holds
    /// `Python.h`, and the folders beneath it (CPython's `Include/` and
    /// `Include/internal` in its own build). They are no part of a unit,
    /// as without a database: their macros and their preprocessor maze
    /// are not the module's code.
    pub fn project_include_dirs(&self, root: &Path) -> Vec<PathBuf> {
        let root = absolute(root);
        let python_headers = |dir: &Path| {
            dir.ancestors()
                .take_while(|d| *d != root)
                .any(|d| d.join("Python.h").is_file())
        };
        let mut dirs: Vec<PathBuf> = Vec::new();
        for dir in self.units.iter().flat_map(|u| &u.include_dirs) {
            if dir.starts_with(&root) && !dirs.contains(dir) && !python_headers(dir) {
                dirs.push(dir.clone());
            }
        }
        dirs
    }

    /// What every unit's build defines, for `#if` evaluation (see
    /// [`crate::scan::cond`] for the rule): keyed by the real path of the
    /// unit's file. Reads the headers of each distinct include folder once;
    /// a folder that cannot be read, or holds more than
    /// [`MAX_FOLDER_HEADERS`] headers, leaves the names it may define
    /// unknown. Headers are read with the guards of every file oncevar
    /// reads: a FIFO, a device, a link to one or a header over
    /// [`MAX_HEADER_SIZE`] is not read, and gives one warning line (the
    /// second value), naming it. Never fails.
    pub fn builds(&self) -> (Builds, Vec<String>) {
        let mut folders = Folders::default();
        let mut builds = Builds::default();
        for unit in &self.units {
            let real = std::fs::canonicalize(&unit.file).unwrap_or_else(|_| unit.file.clone());
            if builds.by_file.contains_key(&real) {
                continue; // the first entry of a file is its unit
            }
            let env = unit.env(&mut folders);
            builds.by_file.insert(real, Arc::new(env));
        }
        (builds, folders.warnings)
    }

    /// `compile_commands.json` or `build/compile_commands.json` under
    /// `root`, whichever exists first.
    pub fn discover(root: &Path) -> Option<PathBuf> {
        DISCOVERED
            .iter()
            .map(|name| root.join(name))
            .find(|p| p.is_file())
    }

    /// Makes the fix of every site in a unit whose command line defines
    /// `Py_LIMITED_API`, or `Py_BUILD_CORE`/`Py_BUILD_CORE_BUILTIN` without
    /// `Py_BUILD_CORE_MODULE` (CPython's core), unsafe, with the flag named
    /// in the reason: the command line decides, not the file's text.
    pub fn apply_unit_flags(&self, report: &mut ScanReport) {
        for file in &mut report.files {
            let Some(unit) = self.unit_for(&file.source.path) else {
                continue;
            };
            let mut reasons = Vec::new();
            if let Some(v) = unit.defined("Py_LIMITED_API") {
                reasons.push(Reason::new(
                    ReasonKind::Build,
                    format!(
                        "the compilation database defines Py_LIMITED_API (={v}) for this unit, \
                         and the runtime needs the full C API"
                    ),
                ));
            }
            let core = unit
                .defined("Py_BUILD_CORE")
                .or(unit.defined("Py_BUILD_CORE_BUILTIN"));
            if core.is_some() && unit.defined("Py_BUILD_CORE_MODULE").is_none() {
                reasons.push(Reason::new(
                    ReasonKind::Build,
                    "the compilation database builds this unit as CPython core \
                     (-DPy_BUILD_CORE without Py_BUILD_CORE_MODULE): it can run before an \
                     interpreter's dict exists, where the public-API runtime has no slot",
                ));
            }
            if reasons.is_empty() {
                continue;
            }
            for d in &mut file.diagnostics {
                if let Some(fix) = &mut d.fix {
                    fix.block(reasons.iter().cloned());
                }
            }
        }
    }
}

/// The include folders and macros of a command's arguments (the compiler
/// left out), folders made absolute against `directory`.
fn flags(args: &[String], directory: &Path) -> (Vec<PathBuf>, Vec<(String, Option<String>)>) {
    let mut dirs = Vec::new();
    let mut macros = Vec::new();
    let mut words = args.iter();
    while let Some(w) = words.next() {
        let mut take = |prefix: &str| -> Option<String> {
            if w == prefix {
                words.next().cloned()
            } else {
                w.strip_prefix(prefix)
                    .filter(|rest| !rest.is_empty())
                    .map(str::to_owned)
            }
        };
        if let Some(d) = take("-isystem")
            .or_else(|| take("-iquote"))
            .or_else(|| take("-I"))
        {
            dirs.push(absolute(&directory.join(d)));
        } else if let Some(m) = take("-D") {
            match m.split_once('=') {
                Some((name, value)) => macros.push((name.to_owned(), Some(value.to_owned()))),
                None => macros.push((m, Some("1".to_owned()))),
            }
        } else if let Some(m) = take("-U") {
            macros.push((m, None));
        }
    }
    (dirs, macros)
}

/// Splits a `command` string into words the way a POSIX shell would for
/// the plain cases a build writes: blanks separate words; single quotes
/// keep everything; inside double quotes a backslash escapes only `"`,
/// `\`, `$` and `` ` `` (and is kept before anything else); a backslash
/// outside quotes escapes the next character. Variables, globs and
/// operators are not interpreted.
///
/// # Errors
///
/// An unclosed quote, as a message for [`DatabaseError::Entry`].
pub fn split_command(command: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("unclosed ' in its command".to_owned()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("unclosed \" in its command".to_owned()),
                        },
                        Some(c) => word.push(c),
                        None => return Err("unclosed \" in its command".to_owned()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(text: &str) -> Result<(Database, Vec<String>), DatabaseError> {
        Database::parse(text, Path::new("cc.json"), Path::new("/proj"))
    }

    #[test]
    fn commands_split_like_a_shell() {
        assert_eq!(
            split_command(r#"cc -DNAME="\"x y\"" -I'a b' a\ b.c"#).unwrap(),
            vec!["cc", r#"-DNAME="x y""#, "-Ia b", "a b.c"]
        );
        assert!(split_command("cc 'open").is_err());
    }

    #[test]
    fn flags_and_files_are_read_from_both_forms() {
        let (db, warnings) = db(r#"[
            {"directory": "build", "file": "../src/m.c",
             "command": "gcc -c -I../include -iquote q -isystem /usr/x -DA -DB=2 -UA -o m.o ../src/m.c"},
            {"directory": "/abs", "file": "n.c", "arguments": ["cc", "-D", "Py_LIMITED_API=0x03080000", "n.c"]}
        ]"#)
        .unwrap();
        assert_eq!(warnings.len(), 2, "neither file exists: {warnings:?}");
        let m = &db.units[0];
        assert_eq!(m.file, Path::new("/proj/src/m.c"));
        assert_eq!(
            m.include_dirs,
            vec![
                PathBuf::from("/proj/include"),
                PathBuf::from("/proj/build/q"),
                PathBuf::from("/usr/x")
            ]
        );
        assert_eq!(m.defined("A"), None, "-UA comes after -DA");
        assert_eq!(m.defined("B"), Some("2"));
        let n = db.unit_for(Path::new("/abs/n.c")).unwrap();
        assert_eq!(n.defined("Py_LIMITED_API"), Some("0x03080000"));
    }

    #[test]
    fn a_bad_entry_is_named_by_index_and_file() {
        let e = db(r#"[{"directory": "/", "file": "a.c", "command": "cc a.c"},
                       {"directory": "/", "file": "b.c"}]"#)
        .unwrap_err()
        .to_string();
        assert!(e.contains("entry 1 (b.c)") && e.contains("neither"), "{e}");
        let e = db(r#"{"directory": "/"}"#).unwrap_err().to_string();
        assert!(e.contains("cc.json: not a compilation database"), "{e}");
        let e = db(r#"[{"directory": "/", "file": "a.c", "command": "cc 'a.c"}]"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("entry 0 (a.c)") && e.contains("unclosed"), "{e}");
    }

    #[test]
    fn fields_outside_clangs_format_are_ignored() {
        let (database, _) = db(
            r#"[{"directory": "/", "file": "a.c", "command": "cc -DX a.c",
                              "language": "c", "hash": 7}]"#,
        )
        .unwrap();
        assert_eq!(
            database.unit_for(Path::new("/a.c")).unwrap().defined("X"),
            Some("1")
        );
        let e = db(r#"[{"file": "a.c", "command": "cc a.c"}]"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("entry 0 (a.c)") && e.contains("directory"),
            "{e}"
        );
    }
}
