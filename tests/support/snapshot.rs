//! File snapshots with `insta`, kept beside the inputs they describe
//! (`testdata/cases/<case>/expected.snap`, `testdata/formats/<name>.snap`)
//! so that a case's folder holds its input, its report and its fixed text
//! together, as ruff's and coccinelle's fixtures do.
//!
//! To accept a deliberate change: `INSTA_UPDATE=always cargo test --test
//! fixtures --test formats` rewrites the snapshots (read what changed with
//! `git diff` before keeping it), or, with `cargo-insta` installed, `cargo
//! insta test` then `cargo insta review`. `scripts/test.sh` (so `.ci/run`)
//! sets `INSTA_UPDATE=no` and `INSTA_FORCE_PASS=0`: there a missing or
//! different snapshot fails and nothing is written.

use std::path::{Path, PathBuf};

/// The snapshot text of a file's bytes. insta compares text with `\r\n`
/// read as `\n` and trailing white space trimmed; so that line endings and
/// the final newline stay checked, a carriage return is shown as `␍` and a
/// missing final newline is said, as `diff` says it.
pub fn text(bytes: &[u8]) -> String {
    let mut out = String::from_utf8_lossy(bytes).replace('\r', "␍");
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
    out
}

/// Where the snapshot `name` of the folder `dir` (relative to the crate) is.
pub fn path(dir: &Path, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(dir)
        .join(format!("{name}.snap"))
}

/// Checks `actual` against the snapshot `<dir>/<name>.snap`. `Err` names
/// the snapshot when it is missing or differs (insta has printed the
/// difference); the caller collects these so that one run lists them all.
pub fn check(dir: &Path, name: &str, actual: &str) -> Result<(), String> {
    assert!(
        std::env::var_os("ONCEVAR_BLESS").is_none(),
        "ONCEVAR_BLESS is replaced by insta: INSTA_UPDATE=always cargo test --test fixtures \
         --test formats rewrites the snapshots (or cargo insta review)"
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name, actual));
    }));
    checked.map_err(|_| path(dir, name).display().to_string())
}

/// Fails with every snapshot that `check` reported, and how to accept them.
pub fn assert_all_match(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "snapshots missing or different (INSTA_UPDATE=always to accept, then read the diff):\n{}",
        failures.join("\n")
    );
}
