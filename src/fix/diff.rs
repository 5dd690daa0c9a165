//! Unified diffs of fixed files, with `a/` and `b/` paths relative to the
//! current directory, so `git apply` and `patch -p1` take them as they are.

use std::io::{self, Write};
use std::path::Path;

use similar::TextDiff;

/// The path to put after `a/` and `b/`: relative to `cwd` when possible.
pub fn patch_path(path: &Path, cwd: &Path) -> String {
    let relative = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    crate::scan::discover::display_path(relative)
}

/// Writes the unified diff of one file (nothing if unchanged).
pub fn write_unified(out: &mut dyn Write, path: &str, old: &[u8], new: &[u8]) -> io::Result<()> {
    if old == new {
        return Ok(());
    }
    let (a, b) = (format!("a/{path}"), format!("b/{path}"));
    let diff = TextDiff::from_lines(old, new);
    diff.unified_diff()
        .context_radius(3)
        .header(&a, &b)
        .to_writer(&mut *out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_use_a_b_prefixes_and_keep_crlf() {
        let mut out = Vec::new();
        write_unified(&mut out, "m/x.c", b"a\r\nb\r\n", b"a\r\nc\r\n").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("--- a/m/x.c\n+++ b/m/x.c\n@@ -1,2 +1,2 @@\n"),
            "{text}"
        );
        assert!(text.contains("-b\r\n+c\r\n"), "{text:?}");
    }

    #[test]
    fn patch_paths_are_relative_to_the_working_directory() {
        let cwd = Path::new("/work/tree");
        assert_eq!(
            patch_path(Path::new("/work/tree/Modules/x.c"), cwd),
            "Modules/x.c"
        );
        assert_eq!(patch_path(Path::new("./Modules/x.c"), cwd), "Modules/x.c");
    }
}
