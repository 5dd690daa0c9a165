//! Fixture tests: every `testdata/cases/<case>/input.{c,h}` carries its
//! expected findings as `~ CODE name` markers on the declarator's line; the
//! scanner must report exactly those. Beside each input, `expected.txt`
//! holds the human report (labels and all); `ONCEVAR_BLESS=1 cargo test`
//! rewrites it after a deliberate change.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use oncevar::report::{self, ColorChoice, Format, RenderOptions};
use oncevar::scan::{self, ScanOptions};

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

fn scan_one(path: &Path, jobs: usize) -> scan::ScanReport {
    scan::scan(&ScanOptions {
        paths: vec![path.to_path_buf()],
        jobs,
        ..ScanOptions::default()
    })
    .expect("scan runs")
}

fn human(report: &scan::ScanReport) -> String {
    let mut out = Vec::new();
    report::emit(
        Format::Human,
        &mut out,
        report,
        &RenderOptions {
            color: ColorChoice::Never,
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
