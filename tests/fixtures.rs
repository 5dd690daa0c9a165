//! Fixture tests: every `testdata/cases/<case>/` holds one input, `input.c`
//! or `input.h`, or a translation unit of several files in `input/` (a `.c`
//! file and the headers or parts it includes), which is scanned as a
//! folder. Each input file carries its expected findings as `~ CODE name`
//! markers on the declarator's line; the scanner must report exactly
//! those, checked on their own. Beside the input, insta file snapshots:
//! `expected.snap` holds the human report (labels and all) and `fixed.snap`
//! every file that `--fix` changes (none when nothing is fixed); see
//! `support/snapshot.rs` for accepting a deliberate change. Suite-wide
//! checks: every fix is idempotent, compiles, and its `--diff` applies with
//! `git apply`.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use oncevar::check::{self, ScanOptions};
use oncevar::diagnostic::Applicability;
use oncevar::fix::apply::{self, UnsafeFixes};
use oncevar::report::{self, ColorChoice, Format, RenderOptions};

#[path = "support/snapshot.rs"]
mod snapshot;

/// One fixture.
struct Case {
    dir: PathBuf,
    /// What is scanned: `input.c`, `input.h` or the `input/` folder.
    scan: PathBuf,
    /// The input files, relative to `scan`'s folder (`input.c`) or to
    /// `input/` (`main.c`, `inc/part.h`).
    files: Vec<PathBuf>,
}

impl Case {
    fn name(&self) -> &str {
        self.dir.file_name().unwrap().to_str().unwrap()
    }

    fn is_unit(&self) -> bool {
        self.scan.is_dir()
    }

    /// The folder the input files are relative to.
    fn base(&self) -> &Path {
        if self.is_unit() {
            &self.scan
        } else {
            &self.dir
        }
    }

    fn display(&self) -> String {
        self.scan.display().to_string()
    }
}

fn files_under(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, base, out);
        } else {
            // Every file: a unity part may be `.inc` or `.def`.
            out.push(path.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for entry in std::fs::read_dir("testdata/cases").expect("testdata/cases exists") {
        let dir = entry.unwrap().path();
        if dir.join("input").is_dir() {
            let scan = dir.join("input");
            let mut files = Vec::new();
            files_under(&scan, &scan, &mut files);
            files.sort();
            cases.push(Case { dir, scan, files });
            continue;
        }
        for name in ["input.c", "input.h"] {
            if dir.join(name).exists() {
                cases.push(Case {
                    scan: dir.join(name),
                    files: vec![PathBuf::from(name)],
                    dir: dir.clone(),
                });
            }
        }
    }
    cases.sort_by(|a, b| a.scan.cmp(&b.scan));
    for case in &cases {
        for old in ["expected.txt", "fixed.c", "fixed.h", "fixed"] {
            assert!(
                !case.dir.join(old).exists(),
                "{}: {old} is the old snapshot layout; the snapshots are insta's \
                 expected.snap and fixed.snap (INSTA_UPDATE=always writes them), remove {old}",
                case.dir.display()
            );
        }
    }
    assert!(
        cases.len() >= 40,
        "expected at least 40 fixtures, found {}",
        cases.len()
    );
    cases
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
            summary: true,
        },
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn findings_match_markers() {
    let mut failures = Vec::new();
    for case in cases() {
        let mut expected = BTreeSet::new();
        for file in &case.files {
            let path = case.base().join(file);
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            for (line, code, name) in markers(&text) {
                expected.insert((path.clone(), line, code, name));
            }
        }
        let report = scan_one(&case.scan, 1);
        assert!(
            report.problems.is_empty(),
            "{}: {:?}",
            case.display(),
            report.problems
        );
        let found: BTreeSet<(PathBuf, usize, String, String)> = report
            .files
            .iter()
            .flat_map(|f| {
                f.diagnostics
                    .iter()
                    .map(move |d| (f.source.path.clone(), d))
            })
            .map(|(path, d)| {
                (
                    path,
                    d.declarator.start.line,
                    d.code.to_string(),
                    d.variable.clone(),
                )
            })
            .collect();
        if found != expected {
            failures.push(format!(
                "{}:\n  missing: {:?}\n  unexpected: {:?}",
                case.display(),
                expected.difference(&found).collect::<Vec<_>>(),
                found.difference(&expected).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn human_reports_match_snapshots() {
    let failures: Vec<String> = cases()
        .iter()
        .filter_map(|case| {
            let actual = human(&scan_one(&case.scan, 1));
            snapshot::check(&case.dir, "expected", &snapshot::text(actual.as_bytes())).err()
        })
        .collect();
    snapshot::assert_all_match(&failures);
}

#[test]
fn thread_count_does_not_change_the_report() {
    let all = |jobs| human(&scan_one(Path::new("testdata/cases"), jobs));
    assert_eq!(all(1), all(2));
}

/// The fixed text of every input file that safe fixes change, by its path
/// relative to the case's input folder.
fn fixed(case: &Case, report: &check::ScanReport) -> BTreeMap<PathBuf, Vec<u8>> {
    apply::fix_files(&report.fix_targets(), UnsafeFixes::Disabled)
        .into_iter()
        .filter_map(|f| {
            let text = f.result.expect("fix applies")?;
            let path = f.source.path.strip_prefix(case.base()).unwrap();
            Some((path.to_path_buf(), text))
        })
        .collect()
}

/// A copy of the case's inputs with the fixes applied, in `dir`.
fn write_fixed(case: &Case, fixes: &BTreeMap<PathBuf, Vec<u8>>, dir: &Path) {
    for file in &case.files {
        let to = dir.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        match fixes.get(file) {
            Some(text) => std::fs::write(&to, text).unwrap(),
            None => {
                std::fs::copy(case.base().join(file), &to).unwrap();
            }
        }
    }
}

/// The snapshot of a case's fixed files: the one fixed file's text, or for
/// a unit each fixed file under a `=== path ===` line, in path order;
/// `None` when nothing is fixed.
fn fixed_snapshot(case: &Case, fixes: &BTreeMap<PathBuf, Vec<u8>>) -> Option<String> {
    if fixes.is_empty() {
        return None;
    }
    if !case.is_unit() {
        return fixes.values().next().map(|text| snapshot::text(text));
    }
    Some(
        fixes
            .iter()
            .map(|(path, text)| format!("=== {} ===\n{}", path.display(), snapshot::text(text)))
            .collect(),
    )
}

#[test]
fn fixes_match_snapshots() {
    let mut failures = Vec::new();
    for case in cases() {
        let fixes = fixed(&case, &scan_one(&case.scan, 1));
        match fixed_snapshot(&case, &fixes) {
            Some(actual) => {
                if let Err(failure) = snapshot::check(&case.dir, "fixed", &actual) {
                    failures.push(failure);
                }
            }
            None => {
                let stale = snapshot::path(&case.dir, "fixed");
                if stale.exists() {
                    failures.push(format!(
                        "{}: nothing is fixed any more (remove it if that is meant)",
                        stale.display()
                    ));
                }
            }
        }
    }
    snapshot::assert_all_match(&failures);
}

/// After a fix, no fixable site is left and a second fix changes nothing.
#[test]
fn fixes_are_idempotent() {
    for case in cases() {
        let fixes = fixed(&case, &scan_one(&case.scan, 1));
        if fixes.is_empty() {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        write_fixed(&case, &fixes, dir.path());
        let copy = if case.is_unit() {
            dir.path().to_path_buf()
        } else {
            dir.path().join(&case.files[0])
        };
        let again = scan_one(&copy, 1);
        let left: Vec<String> = again
            .diagnostics()
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == Applicability::Safe)
            })
            .map(|d| d.variable.clone())
            .collect();
        assert!(
            left.is_empty(),
            "{}: still fixable after --fix: {left:?}",
            case.display()
        );
        let copied = Case {
            dir: dir.path().to_path_buf(),
            scan: copy.clone(),
            files: case.files.clone(),
        };
        assert!(
            fixed(&copied, &again).is_empty(),
            "{}: a second fix changes the files",
            case.display()
        );
    }
}

/// Every fixed fixture compiles against the machine's Python and the
/// runtime: each `.c` file of a unit (with its folder on the include path,
/// and the folders a `include-dirs` file beside the case names, one a
/// line, relative to `input/`, as a build's `-I` flags would), or the fixed
/// header alone.
#[test]
fn fixed_fixtures_compile() {
    let includes = support::python_includes();
    let mut failures = Vec::new();
    let mut compiled = 0;
    for case in cases() {
        if case.name().starts_with("bad-") {
            continue; // malformed on purpose: it did not compile before either
        }
        let fixes = fixed(&case, &scan_one(&case.scan, 1));
        if fixes.is_empty() {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        write_fixed(&case, &fixes, dir.path());
        let units: Vec<&PathBuf> = if case.is_unit() {
            // The `.c` files that no other file of the case includes.
            let texts: Vec<String> = case
                .files
                .iter()
                .map(|f| std::fs::read_to_string(case.base().join(f)).unwrap())
                .collect();
            case.files
                .iter()
                .filter(|f| f.extension().is_some_and(|e| e == "c"))
                .filter(|f| {
                    let name = format!("\"{}\"", f.file_name().unwrap().to_str().unwrap());
                    !texts
                        .iter()
                        .any(|t| t.contains(&format!("#include {name}")))
                })
                .collect()
        } else {
            case.files.iter().collect()
        };
        for file in units {
            let out = Command::new("cc")
                .args([
                    "-fsyntax-only",
                    "-std=c11",
                    "-Wall",
                    "-Werror",
                    "-Wno-unused-variable",
                    "-Wno-unused-function",
                ])
                .args(&includes)
                .args(
                    std::fs::read_to_string(case.dir.join("include-dirs"))
                        .unwrap_or_default()
                        .lines()
                        .map(|d| format!("-I{}", dir.path().join(d.trim()).display())),
                )
                .arg(format!(
                    "-I{}",
                    std::fs::canonicalize("runtime").unwrap().display()
                ))
                .arg(dir.path().join(file))
                .output()
                .expect("cc runs");
            compiled += 1;
            if !out.status.success() {
                failures.push(format!(
                    "{} ({}):\n{}",
                    case.display(),
                    file.display(),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    assert!(compiled >= 40, "only {compiled} fixtures had a fix");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `check --diff` output applies with `git apply` on a copy of the fixtures
/// and yields exactly the fixed text (which `fixes_match_snapshots` checks
/// against the snapshots).
#[test]
fn diff_applies_with_git_apply() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let all = cases();
    let copy_of = |case: &Case, file: &Path| {
        let under = if case.is_unit() {
            root.join(case.name()).join("input")
        } else {
            root.join(case.name())
        };
        under.join(file)
    };
    for case in &all {
        for file in &case.files {
            let to = copy_of(case, file);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(case.base().join(file), &to).unwrap();
        }
    }
    // The library scan the fixed text comes from has no `vendored` globs
    // (they are the configuration's): the binary scans what it scans (a
    // case's pythoncapi_compat.h).
    let out = Command::new(env!("CARGO_BIN_EXE_oncevar"))
        .current_dir(root)
        .args(["check", "--include-vendored", "--diff", "."])
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
    for case in &all {
        let fixes = fixed(case, &scan_one(&case.scan, 1));
        for file in &case.files {
            let patched = std::fs::read(copy_of(case, file)).unwrap();
            let expected = fixes
                .get(file)
                .cloned()
                .unwrap_or_else(|| std::fs::read(case.base().join(file)).unwrap());
            assert!(
                patched == expected,
                "{} ({}): git apply result differs from the fixed text",
                case.display(),
                file.display()
            );
        }
    }
}
