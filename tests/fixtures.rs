//! Fixture tests: every `testdata/cases/<case>/input.{c,h}` carries its
//! expected findings as `~ CODE name` markers on the declarator's line; the
//! scanner must report exactly those. Beside each input, `expected.txt`
//! holds the human report (labels and all) and `fixed.c` the file after
//! `--fix`; `ONCEVAR_BLESS=1 cargo test` rewrites both after a deliberate
//! change. Suite-wide checks: every fix is idempotent, compiles, and its
//! `--diff` applies with `git apply`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use oncevar::check::{self, ScanOptions};
use oncevar::diagnostic::Safety;
use oncevar::fix::apply::{self, Applicability};
use oncevar::report::{self, ColorChoice, Format, RenderOptions};

fn cases() -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    for entry in std::fs::read_dir("testdata/cases").expect("testdata/cases exists") {
        let dir = entry.unwrap().path();
        for name in ["input.c", "input.h"] {
            if dir.join(name).exists() {
                inputs.push(dir.join(name));
            }
        }
    }
    inputs.sort();
    assert!(
        inputs.len() >= 40,
        "expected at least 40 fixtures, found {}",
        inputs.len()
    );
    inputs
}

/// (line, code, variable) from `~ CODE name` markers.
fn markers(text: &str) -> BTreeSet<(usize, String, String)> {
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("~ OV") {
            let mut words = rest[at + 2..].split_whitespace();
            let code = words.next().unwrap_or_default().to_owned();
            let name = words
                .next()
                .unwrap_or_default()
                .trim_end_matches("*/")
                .to_owned();
            out.insert((i + 1, code, name));
            rest = &rest[at + 2..];
        }
    }
    out
}

fn scan_one(path: &Path, jobs: usize) -> check::ScanReport {
    check::scan(&ScanOptions {
        paths: vec![path.to_path_buf()],
        jobs,
        ..ScanOptions::default()
    })
    .expect("scan runs")
}

fn human(report: &check::ScanReport) -> String {
    let mut out = Vec::new();
    report::emit(
        Format::Human,
        &mut out,
        report,
        &RenderOptions {
            color: ColorChoice::Never,
            show_parse_errors: false,
        },
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn findings_match_markers() {
    let mut failures = Vec::new();
    for input in cases() {
        let text = String::from_utf8_lossy(&std::fs::read(&input).unwrap()).into_owned();
        let expected = markers(&text);
        let report = scan_one(&input, 1);
        assert!(
            report.problems.is_empty(),
            "{}: {:?}",
            input.display(),
            report.problems
        );
        let found: BTreeSet<(usize, String, String)> = report
            .diagnostics()
            .map(|d| {
                (
                    d.declarator.start.line,
                    d.code.to_string(),
                    d.variable.clone(),
                )
            })
            .collect();
        if found != expected {
            failures.push(format!(
                "{}:\n  missing: {:?}\n  unexpected: {:?}",
                input.display(),
                expected.difference(&found).collect::<Vec<_>>(),
                found.difference(&expected).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn human_reports_match_snapshots() {
    let bless = std::env::var_os("ONCEVAR_BLESS").is_some();
    let mut failures = Vec::new();
    for input in cases() {
        let actual = human(&scan_one(&input, 1));
        let snapshot = input.with_file_name("expected.txt");
        if bless {
            std::fs::write(&snapshot, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{} differs from {} (ONCEVAR_BLESS=1 to accept):\n{}",
                input.display(),
                snapshot.display(),
                similar::TextDiff::from_lines(&expected, &actual)
                    .unified_diff()
                    .header("expected", "actual")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn thread_count_does_not_change_the_report() {
    let all = |jobs| human(&scan_one(Path::new("testdata/cases"), jobs));
    assert_eq!(all(1), all(2));
}

/// The fixed text of a fixture, applying safe fixes, or `None`.
fn fixed(report: &check::ScanReport) -> Option<Vec<u8>> {
    let fixes = apply::fix_files(report, Applicability::SafeOnly);
    assert!(fixes.len() <= 1);
    fixes
        .into_iter()
        .find_map(|f| f.result.expect("fix applies"))
}

fn fixed_snapshot(input: &Path) -> PathBuf {
    let ext = input.extension().unwrap().to_str().unwrap();
    input.with_file_name(format!("fixed.{ext}"))
}

#[test]
fn fixes_match_snapshots() {
    let bless = std::env::var_os("ONCEVAR_BLESS").is_some();
    let mut failures = Vec::new();
    for input in cases() {
        let snapshot = fixed_snapshot(&input);
        let actual = fixed(&scan_one(&input, 1));
        if bless {
            match &actual {
                Some(text) => std::fs::write(&snapshot, text).unwrap(),
                None => {
                    let _ = std::fs::remove_file(&snapshot);
                }
            }
            continue;
        }
        let expected = std::fs::read(&snapshot).ok();
        if expected != actual {
            let show = |t: &Option<Vec<u8>>| {
                t.as_deref().map_or("<no fix>".to_owned(), |b| {
                    String::from_utf8_lossy(b).into_owned()
                })
            };
            failures.push(format!(
                "{} (ONCEVAR_BLESS=1 to accept):\n{}",
                snapshot.display(),
                similar::TextDiff::from_lines(&show(&expected) as &str, &show(&actual) as &str)
                    .unified_diff()
                    .header("expected", "actual")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// After a fix, no fixable site is left and a second fix changes nothing.
#[test]
fn fixes_are_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    for input in cases() {
        let Some(text) = fixed(&scan_one(&input, 1)) else {
            continue;
        };
        let copy = dir.path().join(input.file_name().unwrap());
        std::fs::write(&copy, &text).unwrap();
        let again = scan_one(&copy, 1);
        let left: Vec<String> = again
            .diagnostics()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.safety == Safety::Safe))
            .map(|d| d.variable.clone())
            .collect();
        assert!(
            left.is_empty(),
            "{}: still fixable after --fix: {left:?}",
            input.display()
        );
        assert_eq!(
            fixed(&again),
            None,
            "{}: a second fix changes the file",
            input.display()
        );
    }
}

/// Every fixed fixture compiles against the machine's Python and the runtime.
#[test]
fn fixed_fixtures_compile() {
    let includes = Command::new("python3-config")
        .arg("--includes")
        .output()
        .expect("python3-config is needed to compile fixed fixtures (install python3-dev)");
    let includes = String::from_utf8(includes.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut compiled = 0;
    for input in cases() {
        if input
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("bad-")
        {
            continue; // malformed on purpose: it did not compile before either
        }
        let Some(text) = fixed(&scan_one(&input, 1)) else {
            continue;
        };
        let case = input
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let file = dir.path().join(format!(
            "{case}.{}",
            input.extension().unwrap().to_str().unwrap()
        ));
        std::fs::write(&file, &text).unwrap();
        let out = Command::new("cc")
            .args([
                "-fsyntax-only",
                "-std=c11",
                "-Wall",
                "-Werror",
                "-Wno-unused-variable",
                "-Wno-unused-function",
            ])
            .args(includes.split_whitespace())
            .arg("-Iruntime")
            .arg(&file)
            .output()
            .expect("cc runs");
        compiled += 1;
        if !out.status.success() {
            failures.push(format!(
                "{}:\n{}",
                input.display(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(compiled >= 40, "only {compiled} fixtures had a fix");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `check --diff` output applies with `git apply` on a copy of the fixtures
/// and yields exactly the fixed snapshots.
#[test]
fn diff_applies_with_git_apply() {
    if std::env::var_os("ONCEVAR_BLESS").is_some() {
        return; // the snapshots are being rewritten by the other tests
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for input in cases() {
        let case = input.parent().unwrap().file_name().unwrap();
        std::fs::create_dir_all(root.join(case)).unwrap();
        std::fs::copy(&input, root.join(case).join(input.file_name().unwrap())).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_oncevar"))
        .current_dir(root)
        .args(["check", "--diff", "."])
        .output()
        .unwrap();
    let patch = root.join("fix.patch");
    std::fs::write(&patch, &out.stdout).unwrap();
    assert!(
        out.stdout.starts_with(b"--- a/"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for args in [
        &["apply", "--check", "fix.patch"][..],
        &["apply", "fix.patch"],
    ] {
        let status = Command::new("git")
            .current_dir(root)
            .args(args)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    }
    for input in cases() {
        let case = input.parent().unwrap().file_name().unwrap();
        let patched = std::fs::read(root.join(case).join(input.file_name().unwrap())).unwrap();
        let expected = std::fs::read(fixed_snapshot(&input))
            .unwrap_or_else(|_| std::fs::read(&input).unwrap());
        assert!(
            patched == expected,
            "{}: git apply result differs from the snapshot",
            input.display()
        );
    }
}
