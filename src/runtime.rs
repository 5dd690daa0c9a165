//! The C runtime that rewritten code includes, embedded in the binary so
//! `oncevar runtime --write DIR` (or `check --fix --write-runtime DIR`)
//! can drop it into any tree.

use std::path::{Path, PathBuf};

/// The header's file name, as rewritten files include it.
pub const HEADER_NAME: &str = "oncevar.h";
/// The header's text (`runtime/oncevar.h`).
pub const HEADER: &str = include_str!("../runtime/oncevar.h");

/// The file an include directive's operand names: `"oncevar.h"` →
/// `oncevar.h`, `<py/oncevar.h>` → `py/oncevar.h`.
pub fn include_target(include: &str) -> &str {
    include
        .trim()
        .trim_start_matches(['"', '<'])
        .trim_end_matches(['"', '>'])
}

/// Writes `oncevar.h` into `dir` (created if needed), atomically; returns
/// its path. A header that already holds [`HEADER`] is left untouched (its
/// modification time too).
///
/// # Errors
///
/// Those of creating the directory or writing the file (see
/// [`crate::fix::apply::write_file`]).
pub fn write_header(dir: &Path) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(HEADER_NAME);
    if std::fs::read(&path).is_ok_and(|existing| existing == HEADER.as_bytes()) {
        return Ok(path);
    }
    crate::fix::apply::write_file(&path, HEADER.as_bytes())?;
    Ok(path)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_new_header_gets_the_permissions_of_any_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let header = write_header(dir.path()).unwrap();
        let plain = dir.path().join("plain.h");
        std::fs::write(&plain, HEADER).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            format!("{:o}", mode(&header)),
            format!("{:o}", mode(&plain))
        );
    }
}
