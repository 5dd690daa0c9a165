//! The files of a checkout that may include a given file: what a scan of
//! a part alone (`oncevar check part.h`) needs to know before it rewrites
//! a static that another file of the checkout, not scanned, also sees.
//!
//! One walk of the project root, as discovery walks a folder
//! (`.gitignore`, hidden files and the `--exclude` globs honoured, no
//! symbolic link followed, so nothing outside the root is read), reads
//! each `.c` and `.h` file once (none larger than the scan's file size
//! limit, at most [`MAX_FILES`] of them, the walk itself at most
//! [`MAX_ENTRIES`] entries) and notes the last path component of each
//! name its `#include` lines quote, before any lexing (a substring
//! search for `include`, then the line around it; a `#include MACRO`
//! through the file's `#define MACRO "name"`). [`Includers::naming`] then
//! gives the files that may include a file of that name; the caller
//! resolves their includes as the compiler does to tell which really do.
//! A scan builds the index once: the rounds of `--fix` reuse it (the
//! files it reads are never edited by them).

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::scan::discover;

/// How many files the walk reads at most: past that, the files not yet
/// read are not known to include anything ([`Includers::stopped`]).
pub const MAX_FILES: usize = 100_000;

/// How many bytes the walk reads at most, all files together (a file that
/// would pass it stops the walk, as [`MAX_FILES`] does).
pub const MAX_BYTES: u64 = 1 << 30;

/// How many entries (folders and files of every kind) the walk visits at
/// most: a root of a million files that are not C stops it too.
pub const MAX_ENTRIES: usize = 1_000_000;

/// The `.c` and `.h` files under a root, by the last path component of
/// each name their `#include` lines quote.
#[derive(Default)]
pub struct Includers {
    /// The files that name some include, by the path the walk reached
    /// them by.
    files: Vec<PathBuf>,
    /// Per last path component of an included name (`part.h` for
    /// `#include "sub/part.h"`), the files (indexes into `files`) whose
    /// includes name it.
    by_name: HashMap<Vec<u8>, Vec<usize>>,
    /// Per real path of a `.c` or `.h` file under the root, the names of
    /// the symbolic links under the root that lead to it (not followed by
    /// the walk: an include may name a file by its link).
    links: HashMap<PathBuf, Vec<OsString>>,
    /// How many files were read.
    pub read: usize,
    /// How many bytes they hold.
    pub bytes: u64,
    /// The walk stopped at [`MAX_FILES`] files, [`MAX_BYTES`] bytes or
    /// [`MAX_ENTRIES`] entries: others may include a file.
    pub stopped: bool,
}

impl std::fmt::Debug for Includers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} files read ({} bytes), {} of them naming {} includes{}",
            self.read,
            self.bytes,
            self.files.len(),
            self.by_name.len(),
            if self.stopped { ", stopped" } else { "" }
        )
    }
}

impl Includers {
    /// Walks `root` (see the module's documentation): every `.c` and `.h`
    /// file that `excludes` (gitignore-style globs relative to `root`)
    /// leave in, of at most `max_file_size` bytes, until [`MAX_FILES`]
    /// files, [`MAX_BYTES`] bytes or [`MAX_ENTRIES`] entries. `root` is a
    /// real path (canonical). Files and folders that cannot be read are
    /// passed over (they include nothing known); an empty file is not
    /// opened and not counted among the files read.
    ///
    /// # Errors
    ///
    /// Those of [`discover::discover`] for a bad `--exclude` glob.
    pub fn index(
        root: &Path,
        excludes: &[String],
        max_file_size: u64,
    ) -> Result<Includers, discover::DiscoverError> {
        let mut found = Includers::default();
        let walker = WalkBuilder::new(root)
            .require_git(false)
            .overrides(discover::exclude_overrides(root, excludes)?)
            .build();
        // One buffer for every file read.
        let mut bytes = Vec::new();
        let mut links = Vec::new();
        for (entries, entry) in walker.flatten().enumerate() {
            if entries == MAX_ENTRIES {
                found.stopped = true;
                break;
            }
            let Some(kind) = entry.file_type() else {
                continue;
            };
            if !discover::is_c_file(entry.path()) {
                continue;
            }
            if kind.is_symlink() {
                links.push(entry.into_path());
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            let Some(len) = entry
                .metadata()
                .ok()
                .map(|m| m.len())
                .filter(|&len| len <= max_file_size)
            else {
                continue;
            };
            // An empty file includes nothing: it is not opened, and counts
            // as an entry only.
            if len == 0 {
                continue;
            }
            if found.read == MAX_FILES || found.bytes + len > MAX_BYTES {
                found.stopped = true;
                break;
            }
            found.read += 1;
            found.bytes += len;
            bytes.clear();
            let read = std::fs::File::open(entry.path())
                .and_then(|f| f.take(max_file_size).read_to_end(&mut bytes));
            if read.is_err() {
                continue;
            }
            found.add(entry.path(), &bytes);
        }
        // A link is resolved at most once, and counts as a file read.
        for link in links {
            if found.read == MAX_FILES {
                found.stopped = true;
                break;
            }
            found.read += 1;
            let (Ok(target), Some(name)) = (link.canonicalize(), link.file_name()) else {
                continue;
            };
            if target.starts_with(root) && target.is_file() {
                found.links.entry(target).or_default().push(name.to_owned());
            }
        }
        Ok(found)
    }

    /// Notes the names that `bytes`, the text of the file at `path`,
    /// includes.
    fn add(&mut self, path: &Path, bytes: &[u8]) {
        let file = self.files.len();
        let mut named = false;
        let (names, computed) = included_names(bytes);
        let defined = computed.then(|| defined_names(bytes)).into_iter().flatten();
        for name in names.into_iter().chain(defined) {
            let list = match self.by_name.get_mut(name) {
                Some(list) => list,
                None => self.by_name.entry(name.to_vec()).or_default(),
            };
            if list.last() != Some(&file) {
                list.push(file);
                named = true;
            }
        }
        if named {
            self.files.push(path.to_path_buf());
        }
    }

    /// The files read whose `#include` lines quote a name whose last path
    /// component is `file_name`, in the walk's order.
    pub fn naming(&self, file_name: &OsStr) -> impl Iterator<Item = &Path> {
        self.by_name
            .get(file_name.as_encoded_bytes())
            .into_iter()
            .flatten()
            .map(|&f| self.files[f].as_path())
    }

    /// The names of the symbolic links under the root that lead to the
    /// file whose real path is `identity` (none when no link does).
    pub fn links_to(&self, identity: &Path) -> &[OsString] {
        self.links.get(identity).map_or(&[], Vec::as_slice)
    }
}

/// Where each line `# keyword` of `bytes` starts its operand (the byte
/// after `keyword`), in order: read loosely, in one pass of a substring
/// search (a directive in a comment counts too), with no lexing.
fn directives<'a>(bytes: &'a [u8], keyword: &'static [u8]) -> impl Iterator<Item = usize> + 'a {
    let blank = |b: &u8| matches!(b, b' ' | b'\t');
    memchr::memmem::find_iter(bytes, keyword).filter_map(move |at| {
        let before = &bytes[..at];
        let hash = before
            .iter()
            .rposition(|b| !blank(b))
            .filter(|&p| before[p] == b'#')?;
        let line_start = before[..hash]
            .iter()
            .rposition(|b| !blank(b))
            .is_none_or(|p| matches!(before[p], b'\n' | b'\r'));
        line_start.then_some(at + keyword.len())
    })
}

/// The last path component of the name that `rest` (the text after a
/// directive's keyword) quotes first, after blanks: `"name"` or `<name>`,
/// closed on the same line.
fn quoted_name(rest: &[u8]) -> Option<&[u8]> {
    let rest = &rest[rest.iter().position(|b| !matches!(b, b' ' | b'\t'))?..];
    let close = match rest.first()? {
        b'"' => b'"',
        b'<' => b'>',
        _ => return None,
    };
    let rest = &rest[1..];
    let end = rest
        .iter()
        .position(|&b| b == close || b == b'\n' || b == b'\r')
        .filter(|&end| rest[end] == close)?;
    let name = &rest[..end];
    let last = name
        .iter()
        .rposition(|&b| b == b'/' || b == b'\\')
        .map_or(name, |p| &name[p + 1..]);
    (!last.is_empty()).then_some(last)
}

/// The last path component of each name that a line `# include "name"`
/// or `# include <name>` of `bytes` quotes, in order (see
/// [`directives`]), and whether some `#include` names a macro instead
/// (`#include PART_H`: see [`defined_names`]).
fn included_names(bytes: &[u8]) -> (Vec<&[u8]>, bool) {
    let mut computed = false;
    let names = directives(bytes, b"include")
        .filter_map(|at| {
            let rest = &bytes[at..];
            let name = quoted_name(rest);
            if name.is_none() {
                let operand = rest.iter().find(|b| !matches!(b, b' ' | b'\t'));
                computed |= operand.is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
            }
            name
        })
        .collect();
    (names, computed)
}

/// The last path component of each name that a line
/// `# define MACRO "name"` (or `<name>`) of `bytes` quotes: what an
/// `#include MACRO` of the same file may include, as
/// [`crate::scan::unit::includes_of`] reads it.
fn defined_names(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    directives(bytes, b"define").filter_map(move |at| {
        let rest = &bytes[at..];
        let start = rest.iter().position(|b| !matches!(b, b' ' | b'\t'))?;
        let rest = &rest[start..];
        let end = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))?;
        (end > 0 && matches!(rest[end], b' ' | b'\t'))
            .then(|| quoted_name(&rest[end..]))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn included_names_are_last_components_of_include_lines() {
        let text = b"#include \"a.h\"\n  #  include <sys/b.h>\nx #include \"no.h\"\n\
                     #include MACRO\n#include \"sub\\\\c.c\"\n#include \"open\n#include\"d.inc\"";
        let (names, computed) = included_names(text);
        assert_eq!(names, [&b"a.h"[..], b"b.h", b"c.c", b"d.inc"]);
        assert!(computed);
        let (_, computed) = included_names(b"#include \"a.h\"\r\n#include <b.h>\r\n");
        assert!(!computed);
    }

    #[test]
    fn defined_names_are_the_quoted_values_of_defines() {
        let text = b"#define PART_H \"sub/p.h\"\r\n# define Q <q.h>\n#define F(x) \"no.h\"\n\
                     #define N 1\nx #define NO \"no2.h\"\n#define\tT\t\"t.h\"";
        let names: Vec<&[u8]> = defined_names(text).collect();
        assert_eq!(names, [&b"p.h"[..], b"q.h", b"t.h"]);
    }
}
