//! Baselines: a project records today's sites once (`--write-baseline`) and
//! from then on CI reports and fails only on sites that are not in the file
//! (`--baseline`). A site is keyed by path, enclosing function, variable and
//! code, never by line, so edits elsewhere in a file, reformatting or moving
//! a function leave it baselined. Two sites with one key are counted.
//!
//! The file is JSON, sorted, one site per line, so it reads and diffs well
//! in review; paths are relative to the file's own directory, so it works
//! whatever directory oncevar runs from.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use path_slash::PathExt;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic};
use crate::project::config::absolute;
use crate::scan::discover::{escape_path, unescape_path};

/// Bumped only on an incompatible change of the file.
pub const BASELINE_VERSION: u32 = 1;

/// Why a baseline file cannot be read or written; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file cannot be read (missing, unreadable, not UTF-8).
    #[error("cannot read baseline {}: {error} (create it with `oncevar check --write-baseline {}`)", path.display(), path.display())]
    Read {
        /// The baseline file, as given.
        path: PathBuf,
        /// Why reading failed.
        error: std::io::Error,
    },
    /// The file is not a baseline this oncevar reads: not JSON of the
    /// baseline's shape (unknown fields are refused), another version, or
    /// an unknown code.
    #[error("{}: not an oncevar baseline: {message}", path.display())]
    Invalid {
        /// The baseline file, as given.
        path: PathBuf,
        /// What is wrong, with serde_json's line and column where it has one.
        message: String,
    },
    /// The new file, or its directory, cannot be written.
    #[error("cannot write baseline {}: {error}", path.display())]
    Write {
        /// The baseline file, as given.
        path: PathBuf,
        /// Why writing failed.
        error: std::io::Error,
    },
}

/// One line of the file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    function: Option<String>,
    variable: String,
    code: String,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    count: usize,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    sites: Vec<Entry>,
}

/// What identifies a site across edits: path (relative to the baseline's
/// directory, `/`-separated), enclosing function, variable and code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    /// Relative to the baseline's directory, `/`-separated.
    pub path: String,
    /// The enclosing function; `None` at file scope.
    pub function: Option<String>,
    /// The static's name.
    pub variable: String,
    /// The site's code.
    pub code: Code,
}

/// A set of accepted sites and the directory their paths are relative to.
#[derive(Debug)]
pub struct Baseline {
    file: PathBuf,
    dir: PathBuf,
    sites: BTreeMap<Key, usize>,
}

/// How a run compares with a baseline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// The baseline file, as named on the command line.
    pub file: String,
    /// Sites found and accepted by the baseline (not reported).
    pub baselined: usize,
    /// Baselined sites in the scanned paths that were not found: fixed,
    /// deleted or no longer scanned. The file can shrink by as many.
    pub gone: usize,
}

impl Baseline {
    fn empty(file: &Path) -> Baseline {
        let dir = absolute(file)
            .parent()
            .map(Path::to_owned)
            .unwrap_or_default();
        Baseline {
            file: file.to_owned(),
            dir,
            sites: BTreeMap::new(),
        }
    }

    /// Reads a baseline file. Its sites' paths are taken relative to the
    /// file's directory; sites with one key add up their counts.
    ///
    /// # Errors
    ///
    /// [`BaselineError::Read`] when it cannot be read, and
    /// [`BaselineError::Invalid`] when it is not a baseline, has another
    /// version or names an unknown code.
    pub fn read(file: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(file).map_err(|error| BaselineError::Read {
            path: file.to_owned(),
            error,
        })?;
        let invalid = |message: String| BaselineError::Invalid {
            path: file.to_owned(),
            message,
        };
        let parsed: BaselineFile =
            serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        if parsed.version != BASELINE_VERSION {
            return Err(invalid(format!(
                "version {} (this oncevar reads version {BASELINE_VERSION})",
                parsed.version
            )));
        }
        let mut baseline = Baseline::empty(file);
        for entry in parsed.sites {
            let code = Code::parse(&entry.code)
                .ok_or_else(|| invalid(crate::project::config::unknown_code(&entry.code)))?;
            let key = Key {
                path: entry.path,
                function: entry.function,
                variable: entry.variable,
                code,
            };
            let count = baseline.sites.entry(key).or_insert(0);
            *count = count.saturating_add(entry.count);
        }
        Ok(baseline)
    }

    /// The key of a finding, relative to this baseline's directory.
    pub fn key(&self, d: &Diagnostic) -> Key {
        Key {
            path: relative(&absolute(&raw_path(&d.path)), &self.dir),
            function: d.function.clone(),
            variable: d.variable.clone(),
            code: d.code,
        }
    }

    /// Whether a baselined path lies in what was scanned: under a directory
    /// argument, or one of the files named.
    fn in_scope(&self, path: &str, roots: &[PathBuf]) -> bool {
        let path = absolute(&self.dir.join(raw_path(path)));
        roots.iter().any(|root| path.starts_with(absolute(root)))
    }

    /// A filter over a run's findings: each recorded site accepts as many
    /// findings with its key as the file counts.
    pub fn filter(&self) -> Filter<'_> {
        Filter {
            baseline: self,
            left: self.sites.clone(),
            baselined: 0,
        }
    }

    /// Records `diagnostics` (a run's findings) in `file`, atomically
    /// (its directory is created if needed). Sites already in the file
    /// outside the scanned paths (`roots`) are kept, so baselining one
    /// directory does not forget the others. Returns (sites written, sites
    /// kept), each counting every site of a key.
    ///
    /// # Errors
    ///
    /// [`BaselineError::Read`] or [`BaselineError::Invalid`] when an old
    /// file exists and cannot be read as a baseline (a missing one is an
    /// empty baseline), [`BaselineError::Write`] when the new one cannot be
    /// written.
    pub fn write<'d>(
        file: &Path,
        diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
        roots: &[PathBuf],
    ) -> Result<(usize, usize), BaselineError> {
        let mut baseline = match Baseline::read(file) {
            Ok(old) => old,
            Err(BaselineError::Read { error, .. })
                if error.kind() == std::io::ErrorKind::NotFound =>
            {
                Baseline::empty(file)
            }
            Err(e) => return Err(e),
        };
        let dir = baseline.dir.clone();
        baseline.sites.retain(|key, _| {
            let path = absolute(&dir.join(&key.path));
            !roots.iter().any(|root| path.starts_with(absolute(root)))
        });
        let kept = saturating_sum(baseline.sites.values().copied());
        for d in diagnostics {
            let count = baseline.sites.entry(baseline.key(d)).or_insert(0);
            *count = count.saturating_add(1);
        }
        let written = saturating_sum(baseline.sites.values().copied()).saturating_sub(kept);
        let write_error = |error| BaselineError::Write {
            path: file.to_owned(),
            error,
        };
        let mut out = Vec::new();
        baseline.render(&mut out).map_err(write_error)?;
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(write_error)?;
        }
        crate::fix::apply::write_file(file, &out).map_err(write_error)?;
        Ok((written, kept))
    }

    /// `{"version": 1, "sites": [...]}` with one sorted site per line.
    fn render(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{{")?;
        writeln!(out, "  \"version\": {BASELINE_VERSION},")?;
        if self.sites.is_empty() {
            writeln!(out, "  \"sites\": []")?;
        } else {
            writeln!(out, "  \"sites\": [")?;
            let last = self.sites.len() - 1;
            for (i, (key, &count)) in self.sites.iter().enumerate() {
                let entry = Entry {
                    path: key.path.clone(),
                    function: key.function.clone(),
                    variable: key.variable.clone(),
                    code: key.code.to_string(),
                    count,
                };
                write!(out, "    ")?;
                entry
                    .serialize(&mut serde_json::Serializer::with_formatter(
                        &mut *out, Spaced,
                    ))
                    .map_err(std::io::Error::other)?;
                writeln!(out, "{}", if i == last { "" } else { "," })?;
            }
            writeln!(out, "  ]")?;
        }
        writeln!(out, "}}")
    }
}

/// A baseline held against a run's findings, one at a time.
pub struct Filter<'b> {
    baseline: &'b Baseline,
    /// How many more findings each key may still accept.
    left: BTreeMap<Key, usize>,
    baselined: usize,
}

impl Filter<'_> {
    /// Whether the baseline accepts `d` (then it is not reported).
    pub fn accepts(&mut self, d: &Diagnostic) -> bool {
        match self.left.get_mut(&self.baseline.key(d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                self.baselined += 1;
                true
            }
            _ => false,
        }
    }

    /// How the run compared: the findings accepted, and the recorded sites
    /// under `roots` (the scanned paths) that no finding matched.
    pub fn finish(self, roots: &[PathBuf]) -> Comparison {
        let gone = saturating_sum(
            self.left
                .iter()
                .filter(|(key, _)| self.baseline.in_scope(&key.path, roots))
                .map(|(_, &n)| n),
        );
        Comparison {
            file: self.baseline.file.display().to_string(),
            baselined: self.baselined,
            gone,
        }
    }
}

/// The sum of site counts, at most `usize::MAX`: a file may hold any
/// count (up to `u64::MAX`), and a sum that wrapped would show a huge
/// number of sites as a few.
fn saturating_sum(counts: impl IntoIterator<Item = usize>) -> usize {
    counts.into_iter().fold(0, usize::saturating_add)
}

/// Compact JSON with a space after `:` and `,`: `{"path": "a.c", ...}`.
struct Spaced;

impl serde_json::ser::Formatter for Spaced {
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
}

/// `path` relative to the directory `base`, `/`-separated, with `..` where
/// it lies outside, as the text of [`escape_path`] (control characters,
/// bytes that are not UTF-8 and backslashes escaped, so a name's bytes come
/// back with `unescape_path`); both are absolute and free of `.` and `..`.
/// A path with nothing in common with `base` (another drive) stays as it is.
pub fn relative(path: &Path, base: &Path) -> String {
    let path = pathdiff::diff_paths(path, base).unwrap_or_else(|| path.to_owned());
    match path.to_slash() {
        Some(slashed) => escape_path(Path::new(&*slashed)),
        None => escape_path(&path),
    }
}

/// The file a path of the baseline or of a diagnostic names: both hold the
/// escaped display form of [`escape_path`] (a newline in a name is `\x0a`,
/// a backslash `\\`), which is text, not the name's bytes.
fn raw_path(shown: &str) -> PathBuf {
    let bytes = unescape_path(shown);
    #[cfg(unix)]
    return PathBuf::from(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(&bytes));
    #[cfg(not(unix))]
    return PathBuf::from(String::from_utf8_lossy(&bytes).into_owned());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(relative(&p("/r/Modules/a.c"), &p("/r")), "Modules/a.c");
        assert_eq!(relative(&p("/r/a.c"), &p("/r/ci")), "../a.c");
        assert_eq!(relative(&p("/x/a.c"), &p("/r/ci")), "../../x/a.c");
    }

    #[test]
    fn rendering_is_sorted_one_site_per_line() {
        let mut b = Baseline::empty(Path::new("/r/baseline.json"));
        let key = |path: &str, function: Option<&str>, code| Key {
            path: path.to_owned(),
            function: function.map(str::to_owned),
            variable: "v".to_owned(),
            code,
        };
        b.sites.insert(key("b.c", None, Code::OV101), 1);
        b.sites.insert(key("a.c", Some("f"), Code::OV201), 2);
        let mut out = Vec::new();
        b.render(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"version\": 1,\n  \"sites\": [\n    \
             {\"path\": \"a.c\", \"function\": \"f\", \"variable\": \"v\", \"code\": \"OV201\", \"count\": 2},\n    \
             {\"path\": \"b.c\", \"variable\": \"v\", \"code\": \"OV101\"}\n  ]\n}\n"
        );
    }
}
