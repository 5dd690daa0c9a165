//! Expected output of every report format on one small tree
//! (`testdata/formats/input`: every code, a suppressed site, an unused
//! suppression, a file name that needs escaping), with and without a
//! baseline, as insta file snapshots beside the input
//! (`testdata/formats/<name>.snap`; see `support/snapshot.rs` for accepting
//! a deliberate change).

use std::path::Path;

use assert_cmd::Command;

#[path = "support/snapshot.rs"]
mod snapshot;

const DIR: &str = "testdata/formats";

/// (snapshot name, extra arguments)
const CASES: &[(&str, &[&str])] = &[
    ("human", &["--output-format", "human"]),
    ("concise", &["--output-format", "concise"]),
    ("json", &["--output-format", "json"]),
    ("sarif", &["--output-format", "sarif"]),
    ("github", &["--output-format", "github"]),
    (
        "baseline.human",
        &["--baseline", "testdata/formats/baseline.json"],
    ),
    (
        "baseline.sarif",
        &[
            "--baseline",
            "testdata/formats/baseline.json",
            "--output-format",
            "sarif",
        ],
    ),
];

fn run_with_jobs(jobs: &str, extra: &[&str]) -> (String, i32) {
    let out = Command::cargo_bin("oncevar")
        .unwrap()
        .args(["check", "testdata/formats/input", "--no-config"])
        .args([
            "--color",
            "never",
            "--report-unused-ignores",
            "--jobs",
            jobs,
        ])
        .args(extra)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn run(extra: &[&str]) -> (String, i32) {
    run_with_jobs("2", extra)
}

#[test]
fn every_format_matches_its_expected_output() {
    let mut failures = Vec::new();
    for (name, extra) in CASES {
        let (actual, code) = run(extra);
        assert_eq!(code, 1, "{name}: sites found, so exit 1");
        if let Err(failure) =
            snapshot::check(Path::new(DIR), name, &snapshot::text(actual.as_bytes()))
        {
            failures.push(failure);
        }
    }
    snapshot::assert_all_match(&failures);
}

#[test]
fn output_is_identical_between_runs_and_thread_counts() {
    for format in ["sarif", "github"] {
        let one = run_with_jobs("1", &["--output-format", format]).0;
        assert!(!one.is_empty());
        assert!(
            one == run(&["--output-format", format]).0,
            "{format} differs"
        );
    }
}

#[test]
fn github_annotations_escape_properties_and_data() {
    let text = run(&["--output-format", "github"]).0;
    let odd = text
        .lines()
        .find(|l| l.contains("sentinel"))
        .expect("the odd header's site is annotated");
    assert!(
        odd.starts_with(
            "::warning file=testdata/formats/input/odd name%2C 100%25.h,line=6,col=22,endLine=6,endColumn=30,title=OV101::"
        ),
        "{odd}"
    );
    assert!(
        odd.contains("%0ANULL guard at line 7; assigned at line 8"),
        "{odd}"
    );
    assert!(text
        .lines()
        .any(|l| l.starts_with("::notice ") && l.contains("title=OV301::")));
    assert!(text.lines().any(|l| l.contains("title=unused-ignore::")));
    assert_eq!(text.lines().count(), 6, "{text}");
}
