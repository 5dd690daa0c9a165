//! The C runtime that rewritten code includes, embedded in the binary so
//! `oncevar runtime --write DIR` (or `check --fix --write-runtime DIR`)
//! can drop it into any tree.

use std::path::{Path, PathBuf};

pub const HEADER_NAME: &str = "oncevar.h";
pub const HEADER: &str = include_str!("../runtime/oncevar.h");

/// Writes `oncevar.h` into `dir` (created if needed); returns its path.
pub fn write_header(dir: &Path) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(HEADER_NAME);
    if std::fs::read(&path).is_ok_and(|existing| existing == HEADER.as_bytes()) {
        return Ok(path);
    }
    let mut temp = tempfile::Builder::new()
        .prefix(".oncevar-")
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut temp, HEADER.as_bytes())?;
    temp.persist(&path).map_err(|e| e.error)?;
    Ok(path)
}
