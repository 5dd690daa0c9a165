//! What a test does when a tool it needs is missing: it fails, naming the
//! tool and the script that installs it, unless the person running the
//! tests has said `ONCEVAR_ALLOW_SKIP=1`. A test that passes without having
//! checked anything would hide a broken set-up, so skipping is never the
//! default, and `.ci/run` never allows it. Also what the tests that
//! compile C share: the Python headers' include flags.
// Each test crate that declares `mod support;` uses only some of it.
#![allow(dead_code)]

/// The environment variable that lets a test skip when a tool is missing.
pub const ALLOW_SKIP: &str = "ONCEVAR_ALLOW_SKIP";

/// Reports that `test` cannot run because `missing` is not there: panics
/// (the test fails) unless `ONCEVAR_ALLOW_SKIP=1`, when it prints a
/// `SKIPPED` line and returns, so the caller then returns too.
pub fn missing(test: &str, missing: &str) {
    if std::env::var_os(ALLOW_SKIP).is_some_and(|v| v == "1") {
        eprintln!("SKIPPED {test}: {missing} ({ALLOW_SKIP}=1)");
        return;
    }
    panic!(
        "{test}: {missing}; `scripts/test.sh` installs what the tests need \
         (or set {ALLOW_SKIP}=1 to skip this test instead)"
    );
}

/// The compiler flags that put the machine's Python headers on the include
/// path, from `python3-config --includes` (`-I/usr/include/python3.11`...),
/// one flag per element. Panics when python3-config cannot run (the tests
/// that compile C need python3-dev).
pub fn python_includes() -> Vec<String> {
    let out = std::process::Command::new("python3-config")
        .arg("--includes")
        .output()
        .expect("python3-config is needed to compile C against Python (install python3-dev)");
    assert!(out.status.success(), "python3-config --includes failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}
