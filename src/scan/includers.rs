//! The files of a checkout that may include a given file: what a scan of
//! a part alone (`oncevar check part.h`) needs to know before it rewrites
//! a static that another file of the checkout, not scanned, also sees.
//!
//! One walk of the project root, as discovery walks a folder
//! (`.gitignore`, hidden files and the `--exclude` globs honoured, no
//! symbolic link followed, so nothing outside the root is read), reads
//! each `.c` and `.h` file once (none larger than the scan's file size
//! limit, at most [`MAX_FILES`] of them) and notes the last path component
//! of each name its `#include` lines quote. [`Includers::naming`] then
//! gives the files that may include a file of that name; the caller
//! resolves their includes as the compiler does to tell which really do.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::scan::discover;

/// How many files the walk reads at most: past that, the files not yet
/// read are not known to include anything ([`Includers::stopped`]).
pub const MAX_FILES: usize = 100_000;

/// How many bytes the walk reads at most, all files together (a file that
/// would pass it stops the walk, as [`MAX_FILES`] does).
pub const MAX_BYTES: u64 = 1 << 30;

/// The `.c` and `.h` files under a root, by the last path component of
/// each name their `#include` lines quote.
#[derive(Debug, Default)]
pub struct Includers {
    /// The files read, by the path the walk reached them by.
    files: Vec<PathBuf>,
    /// Per last path component of an included name (`part.h` for
    /// `#include "sub/part.h"`), the files (indexes into `files`) whose
    /// includes name it.
    by_name: HashMap<Vec<u8>, Vec<usize>>,
    /// How many files were read.
    pub read: usize,
    /// How many bytes they hold.
    pub bytes: u64,
    /// The walk stopped at [`MAX_FILES`] files or [`MAX_BYTES`] bytes:
    /// others may include a file.
    pub stopped: bool,
}

impl Includers {
    /// Walks `root` (see the module's documentation): every `.c` and `.h`
    /// file that `excludes` (gitignore-style globs relative to `root`) and
    /// `skip` leave in, of at most `max_file_size` bytes, until
    /// [`MAX_FILES`] files or [`MAX_BYTES`] bytes are read. Files and folders
    /// that cannot be read are passed over (they include nothing known).
    ///
    /// # Errors
    ///
    /// Those of [`discover::discover`] for a bad `--exclude` glob.
    pub fn index(
        root: &Path,
        excludes: &[String],
        skip: &dyn Fn(&Path) -> bool,
        max_file_size: u64,
    ) -> Result<Includers, discover::DiscoverError> {
        let mut found = Includers::default();
        let walker = WalkBuilder::new(root)
            .require_git(false)
            .overrides(discover::exclude_overrides(root, excludes)?)
            .build();
        for entry in walker.flatten() {
            if !entry.file_type().is_some_and(|t| t.is_file())
                || !discover::is_c_file(entry.path())
                || skip(entry.path())
            {
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
            if found.read == MAX_FILES || found.bytes + len > MAX_BYTES {
                found.stopped = true;
                break;
            }
            found.read += 1;
            found.bytes += len;
            let Ok(bytes) = std::fs::read(entry.path()) else {
                continue;
            };
            let file = found.files.len();
            let mut named = false;
            for name in included_names(&bytes) {
                let list = found.by_name.entry(name.to_vec()).or_default();
                if list.last() != Some(&file) {
                    list.push(file);
                    named = true;
                }
            }
            if named {
                found.files.push(entry.into_path());
            }
        }
        Ok(found)
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
}

/// The last path component of each name that a line `# include "name"`
/// or `# include <name>` of `bytes` quotes, in order: read loosely, in one
/// pass (a directive in a comment counts too, a computed include does
/// not), since the caller resolves the includes of each file it keeps.
fn included_names(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    memchr::memmem::find_iter(bytes, b"include").filter_map(move |at| {
        let before = &bytes[..at];
        let hash = before
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t'))
            .filter(|&p| before[p] == b'#')?;
        let line_start = before[..hash]
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t'))
            .is_none_or(|p| matches!(before[p], b'\n' | b'\r'));
        if !line_start {
            return None;
        }
        let rest = &bytes[at + b"include".len()..];
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn included_names_are_last_components_of_include_lines() {
        let text = b"#include \"a.h\"\n  #  include <sys/b.h>\nx #include \"no.h\"\n\
                     #include MACRO\n#include \"sub\\\\c.c\"\n#include \"open\n#include\"d.inc\"";
        let names: Vec<&[u8]> = included_names(text).collect();
        assert_eq!(names, [&b"a.h"[..], b"b.h", b"c.c", b"d.inc"]);
    }
}
