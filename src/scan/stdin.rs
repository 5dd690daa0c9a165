//! A C text read from standard input (`oncevar check -`), scanned as the
//! file `--stdin-filename` names would be: under that name in every
//! report, with the configuration, excludes and suppressions that apply to
//! it, its quoted includes looked for beside it, and the reading guards of
//! a file on disk (a size limit, no binary). ruff's `--stdin-filename` is
//! the model.

use std::io::Read;
use std::path::PathBuf;

use crate::scan::discover::{self, Discovery, FileEntry};
use crate::scan::source::{ReadError, Source};

/// The text read from standard input and the name it is scanned under.
#[derive(Debug)]
pub struct StandardInput {
    /// The path the text is reported, configured and fixed as (it need not
    /// exist); `-` when no name was given.
    pub name: PathBuf,
    /// The bytes read, or why they could not be: over the size limit
    /// (only the first `limit + 1` bytes were read, the rest is left
    /// unread) or an I/O error.
    pub text: Result<Vec<u8>, ReadError>,
}

impl StandardInput {
    /// Reads `reader` to its end, keeping at most `max_size` bytes, as the
    /// text of `name`.
    ///
    /// A text over `max_size` bytes is [`ReadError::TooLarge`] (reading
    /// stops at `max_size + 1` bytes, so memory stays bounded), and a
    /// failed read [`ReadError::Io`]; both are kept in `text`, to be
    /// reported against `name` as a file's would be.
    pub fn read(reader: &mut dyn Read, name: PathBuf, max_size: u64) -> StandardInput {
        let mut bytes = Vec::new();
        let text = match reader
            .take(max_size.saturating_add(1))
            .read_to_end(&mut bytes)
        {
            Ok(_) if bytes.len() as u64 > max_size => Err(ReadError::TooLarge {
                size: bytes.len() as u64,
                limit: max_size,
            }),
            Ok(_) => Ok(bytes),
            Err(e) => Err(ReadError::Io(e)),
        };
        StandardInput { name, text }
    }

    /// What the scan reads: the one file `name`, as a file named on the
    /// command line (ruff's reading of `--stdin-filename`): `--exclude`
    /// drops it only with `--force-exclude`, which the scan applies to
    /// every named file alike.
    pub fn discovery(&self) -> Discovery {
        let mut discovery = Discovery::default();
        discovery.files.push(FileEntry {
            display: discover::display_path(&self.name),
            path: self.name.clone(),
            named: true,
        });
        discovery
    }

    /// The text as a [`Source`] shown as `display_path`.
    ///
    /// # Errors
    ///
    /// Why it could not be read (see [`StandardInput::read`]), and
    /// [`ReadError::Binary`] for a NUL byte within its first 8 KiB.
    pub fn source(&self, display_path: String) -> Result<Source, ReadError> {
        match &self.text {
            Ok(bytes) => Source::from_bytes(self.name.clone(), display_path, bytes.clone()),
            Err(ReadError::TooLarge { size, limit }) => Err(ReadError::TooLarge {
                size: *size,
                limit: *limit,
            }),
            Err(e) => Err(ReadError::Io(std::io::Error::other(e.to_string()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn reads_up_to_the_limit_and_no_further() {
        let name = PathBuf::from("src/x.c");
        let input = StandardInput::read(&mut &b"static int x;"[..], name.clone(), 13);
        assert_eq!(input.text.unwrap(), b"static int x;");
        let mut reader = &b"static int x;"[..];
        let input = StandardInput::read(&mut reader, name.clone(), 12);
        assert!(matches!(
            input.text,
            Err(ReadError::TooLarge {
                size: 13,
                limit: 12
            })
        ));
        let mut endless = std::io::repeat(b'x');
        let input = StandardInput::read(&mut endless, name, 1000);
        assert!(matches!(
            input.text,
            Err(ReadError::TooLarge {
                size: 1001,
                limit: 1000
            })
        ));
    }

    /// The text is one named file whatever the excludes (the scan drops
    /// it with `--force-exclude`), and the names it may be given are
    /// matched against the excludes as the walk's are: a folder above
    /// it, `./` and `..` spellings, an absolute path, and a name outside
    /// the current folder, which no glob matches.
    #[test]
    fn the_text_is_a_named_file_and_its_names_match_excludes() {
        let input = StandardInput {
            name: "gen/x.c".into(),
            text: Ok(Vec::new()),
        };
        let files = input.discovery().files;
        assert_eq!(files.len(), 1);
        assert!(files[0].named);
        let cwd = Path::new("/project");
        let excluded = |name: &str, excludes: &[&str]| {
            let excludes: Vec<String> = excludes.iter().map(|s| s.to_string()).collect();
            discover::excluded(cwd, &excludes, Path::new(name)).unwrap()
        };
        assert!(!excluded("gen/x.c", &[]));
        assert!(excluded("gen/x.c", &["gen/"]), "a folder above it");
        assert!(excluded("gen/x.c", &["*.c"]));
        assert!(!excluded("gen/x.c", &["x.h", "other/**"]));
        assert!(discover::excluded(cwd, &["a/**/[".to_string()], Path::new("gen/x.c")).is_err());
        for spelling in ["./gen/x.c", "other/../gen/x.c", "/project/gen/x.c"] {
            assert!(excluded(spelling, &["gen/"]), "{spelling}");
        }
        assert!(!excluded("../gen/x.c", &["gen/"]));
    }
}
