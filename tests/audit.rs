//! `oncevar audit` fixtures: every `testdata/audit/<case>/` holds an input
//! (`input.c`, scanned alone, with any headers it includes beside it; or
//! a folder `input/` scanned whole: several translation units of one
//! extension), whose files carry the expected audit as inline markers:
//!
//! * `~ CODE name` on a finding's line (every finding of an audit, the
//!   module rules' too), optionally followed by `fix=safe|unsafe|none`:
//!   the finding's fix has that applicability;
//! * `~ module NAME INIT pig=VERDICT ft=VERDICT` on the line of a module's
//!   init function (`INIT` is `single-phase`, `multi-phase` or `unknown`,
//!   each verdict `ok` or `blocked`), optionally followed by
//!   `after-fix=VERDICT`: the own-GIL verdict once `audit --fix` has
//!   applied the safe fixes (the fixed files are then the `fixed.snap`
//!   snapshot beside the case, and must compile);
//! * `~ blocks NAME CODE name pig|ft|both` anywhere: that finding blocks
//!   that module's verdict(s), and no other finding blocks it (a module
//!   with such markers lists them all);
//! * `~ contradicted NAME CONSTANT`: the module's claim of `CONSTANT` is
//!   contradicted (an error), and no other claim of it is.
//!
//! Beside the input, the insta snapshot `audit.snap` holds the human audit
//! (see `support/snapshot.rs` for accepting a deliberate change); the JSON
//! and SARIF audits of the whole folder are `testdata/audit/audit.json.snap`
//! and `audit.sarif.snap`.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use oncevar::audit::{blocker_fix, Audit, BlockerFix, Verdict};
use oncevar::check::{self, ScanOptions, ScanReport};
use oncevar::fix::apply::{self, UnsafeFixes};
use oncevar::options::AnalysisOptions;
use oncevar::report::{self, ColorChoice, Format, RenderOptions};

#[path = "support/snapshot.rs"]
mod snapshot;

const DIR: &str = "testdata/audit";

struct Case {
    dir: PathBuf,
    scan: PathBuf,
}

fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = std::fs::read_dir(DIR)
        .expect("testdata/audit exists")
        .map(|e| e.unwrap().path())
        .filter(|dir| dir.is_dir())
        .filter_map(|dir| {
            let scan = ["input", "input.c"]
                .iter()
                .map(|name| dir.join(name))
                .find(|p| p.exists())?;
            Some(Case { dir, scan })
        })
        .collect();
    cases.sort_by(|a, b| a.dir.cmp(&b.dir));
    assert!(cases.len() >= 10, "expected at least 10 audit fixtures");
    cases
}

fn input_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            input_files(&entry.unwrap().path(), out);
        }
    } else if matches!(path.extension().and_then(|e| e.to_str()), Some("c" | "h")) {
        out.push(path.to_path_buf());
    }
}

fn audit_scan(path: &Path, jobs: usize) -> ScanReport {
    check::scan(&ScanOptions {
        paths: vec![path.to_path_buf()],
        jobs,
        analysis: AnalysisOptions {
            audit: true,
            ..AnalysisOptions::default()
        },
        ..ScanOptions::default()
    })
    .expect("scan runs")
}

/// What the markers of a case's files expect.
#[derive(Default)]
struct Expected {
    findings: BTreeSet<(PathBuf, usize, String, String)>,
    modules: BTreeSet<(PathBuf, usize, String, String, String, String)>,
    blocks: BTreeSet<(String, String, String, &'static str)>,
    contradicted: BTreeSet<(String, String)>,
    /// Findings' fix applicability, where a marker gives it.
    fixes: BTreeSet<(PathBuf, usize, String, String, String)>,
    /// Modules' own-GIL verdict after `audit --fix`, where a marker gives it.
    after_fix: BTreeSet<(String, String)>,
}

fn expected(case: &Case) -> Expected {
    // Every file of the case: a header beside a scanned `input.c` is
    // outside the scan but inside its unit.
    let mut files = Vec::new();
    input_files(&case.dir, &mut files);
    let mut out = Expected::default();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("~ ") {
                let words: Vec<&str> = rest[at + 2..]
                    .split_whitespace()
                    .map(|w| w.trim_end_matches("*/"))
                    .filter(|w| !w.is_empty())
                    .collect();
                match words.as_slice() {
                    ["module", name, init, pig, ft, rest @ ..] => {
                        if let Some(after) = rest.first().and_then(|w| w.strip_prefix("after-fix="))
                        {
                            out.after_fix.insert((name.to_string(), after.to_string()));
                        }
                        out.modules.insert((
                            path.clone(),
                            i + 1,
                            name.to_string(),
                            init.to_string(),
                            pig.trim_start_matches("pig=").to_string(),
                            ft.trim_start_matches("ft=").to_string(),
                        ));
                    }
                    ["blocks", module, code, name, which, ..] => {
                        for verdict in match *which {
                            "pig" => &["pig"][..],
                            "ft" => &["ft"][..],
                            _ => &["pig", "ft"][..],
                        } {
                            out.blocks.insert((
                                module.to_string(),
                                code.to_string(),
                                name.to_string(),
                                verdict,
                            ));
                        }
                    }
                    ["contradicted", module, constant, ..] => {
                        out.contradicted
                            .insert((module.to_string(), constant.to_string()));
                    }
                    [code, name, rest @ ..] if code.starts_with("OV") => {
                        if let Some(fix) = rest.first().and_then(|w| w.strip_prefix("fix=")) {
                            out.fixes.insert((
                                path.clone(),
                                i + 1,
                                code.to_string(),
                                name.to_string(),
                                fix.to_string(),
                            ));
                        }
                        out.findings.insert((
                            path.clone(),
                            i + 1,
                            code.to_string(),
                            name.to_string(),
                        ));
                    }
                    _ => {}
                }
                rest = &rest[at + 2..];
            }
        }
    }
    out
}

/// Every finding of `report` as (display path, 1-based line of its
/// declarator, code, variable, its fix's applicability word).
fn located_findings(
    report: &ScanReport,
) -> impl Iterator<Item = (PathBuf, usize, String, String, String)> + '_ {
    report.files.iter().flat_map(|f| {
        f.diagnostics.iter().map(move |d| {
            (
                PathBuf::from(&f.source.display_path),
                d.declarator.start.line,
                d.code.to_string(),
                d.variable.clone(),
                fix_word(blocker_fix(d)).to_owned(),
            )
        })
    })
}

fn fix_word(fix: BlockerFix) -> &'static str {
    match fix {
        BlockerFix::Safe => "safe",
        BlockerFix::Unsafe => "unsafe",
        BlockerFix::None => "none",
    }
}

fn word(v: Verdict) -> String {
    match v {
        Verdict::Ok => "ok",
        Verdict::Blocked => "blocked",
    }
    .to_owned()
}

#[test]
fn audits_match_markers() {
    let mut failures = Vec::new();
    for case in cases() {
        let want = expected(&case);
        let report = audit_scan(&case.scan, 1);
        assert!(report.problems.is_empty(), "{}", case.dir.display());
        let audit = Audit::of(&report);
        let findings: BTreeSet<_> = located_findings(&report)
            .map(|(path, line, code, variable, _)| (path, line, code, variable))
            .collect();
        let base = case.scan.parent().unwrap();
        let modules: BTreeSet<_> = audit
            .modules
            .iter()
            .map(|m| {
                (
                    base.join(
                        Path::new(&m.module.path)
                            .strip_prefix(base)
                            .unwrap_or(Path::new(&m.module.path)),
                    ),
                    m.module.location.start.line,
                    m.module.name.clone(),
                    m.module.phase.as_str().to_owned(),
                    word(m.per_interpreter_gil.verdict),
                    word(m.free_threading.verdict),
                )
            })
            .collect();
        let mut blocks = BTreeSet::new();
        let mut contradicted = BTreeSet::new();
        for m in &audit.modules {
            for (verdict, judgement) in [("pig", &m.per_interpreter_gil), ("ft", &m.free_threading)]
            {
                for b in &judgement.blockers {
                    let d = b.diagnostic;
                    blocks.insert((
                        m.module.name.clone(),
                        d.code.to_string(),
                        d.variable.clone(),
                        verdict,
                    ));
                }
            }
            for c in m.contradicted_claims() {
                contradicted.insert((m.module.name.clone(), c.kind.constant().to_owned()));
            }
        }
        let fixes: BTreeSet<_> = located_findings(&report)
            .filter(|f| {
                want.fixes
                    .iter()
                    .any(|w| (&w.0, w.1, &w.2, &w.3) == (&f.0, f.1, &f.2, &f.3))
            })
            .collect();
        if fixes != want.fixes {
            failures.push(format!(
                "{}: fixes missing {:?}, unexpected {:?}",
                case.dir.display(),
                want.fixes.difference(&fixes).collect::<Vec<_>>(),
                fixes.difference(&want.fixes).collect::<Vec<_>>()
            ));
        }
        // Only the modules that name their blockers are checked for them.
        let named: BTreeSet<&String> = want.blocks.iter().map(|b| &b.0).collect();
        blocks.retain(|b| named.contains(&b.0));
        let mut problems = Vec::new();
        if findings != want.findings {
            problems.push(format!(
                "findings missing {:?}, unexpected {:?}",
                want.findings.difference(&findings).collect::<Vec<_>>(),
                findings.difference(&want.findings).collect::<Vec<_>>()
            ));
        }
        if modules != want.modules {
            problems.push(format!(
                "modules missing {:?}, unexpected {:?}",
                want.modules.difference(&modules).collect::<Vec<_>>(),
                modules.difference(&want.modules).collect::<Vec<_>>()
            ));
        }
        if blocks != want.blocks {
            problems.push(format!(
                "blockers missing {:?}, unexpected {:?}",
                want.blocks.difference(&blocks).collect::<Vec<_>>(),
                blocks.difference(&want.blocks).collect::<Vec<_>>()
            ));
        }
        if contradicted != want.contradicted {
            problems.push(format!(
                "contradicted claims missing {:?}, unexpected {:?}",
                want.contradicted
                    .difference(&contradicted)
                    .collect::<Vec<_>>(),
                contradicted
                    .difference(&want.contradicted)
                    .collect::<Vec<_>>()
            ));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n  {}",
                case.dir.display(),
                problems.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn render(format: Format, report: &ScanReport) -> String {
    let audit = Audit::of(report);
    let mut out = Vec::new();
    report::emit_audit(
        format,
        &mut out,
        report,
        &audit,
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
fn human_audits_match_snapshots() {
    let failures: Vec<String> = cases()
        .iter()
        .filter_map(|case| {
            let actual = render(Format::Human, &audit_scan(&case.scan, 1));
            snapshot::check(&case.dir, "audit", &snapshot::text(actual.as_bytes())).err()
        })
        .collect();
    snapshot::assert_all_match(&failures);
}

#[test]
fn json_and_sarif_audits_match_snapshots() {
    let report = audit_scan(Path::new(DIR), 2);
    let mut failures = Vec::new();
    for (name, format) in [("audit.json", Format::Json), ("audit.sarif", Format::Sarif)] {
        let actual = render(format, &report);
        serde_json::from_str::<serde_json::Value>(&actual).expect("valid JSON");
        if let Err(e) = snapshot::check(Path::new(DIR), name, &actual) {
            failures.push(e);
        }
    }
    snapshot::assert_all_match(&failures);
}

#[test]
fn thread_count_does_not_change_the_audit() {
    let all = |jobs| render(Format::Json, &audit_scan(Path::new(DIR), jobs));
    assert_eq!(all(1), all(2));
}

/// A checkout's text cannot act on the terminal through the audit's own
/// lines: a control character in an `#if` condition, which the claim line
/// quotes, is printed escaped by the human and concise formats.
#[test]
fn text_audits_escape_control_characters_of_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("hostile.c");
    std::fs::write(
        &input,
        "#include <Python.h>\n\
         static PyModuleDef_Slot slots[] = {\n\
         #if defined(X) && Y\x1b]0;title\x07\n\
         \x20   {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},\n\
         #endif\n\
         \x20   {0, NULL}};\n\
         static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, \"h\", NULL, 0, NULL, slots};\n\
         PyMODINIT_FUNC PyInit_h(void) { return PyModuleDef_Init(&def); }\n",
    )
    .unwrap();
    let report = audit_scan(&input, 1);
    for format in [Format::Human, Format::Concise] {
        let text = render(format, &report);
        assert!(text.contains("module `h`"), "{text}");
        assert!(!text.contains(['\x1b', '\x07']), "{format:?}: {text:?}");
    }
    assert!(render(Format::Human, &report).contains(r"Y\x1b]0;title\x07"));
}

/// The files of a case (its `input.c` and the headers beside it, or its
/// `input/` folder), relative to the case's folder.
fn case_files(case: &Case) -> Vec<PathBuf> {
    let mut files = Vec::new();
    input_files(&case.dir, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| f.strip_prefix(&case.dir).unwrap().to_path_buf())
        .collect()
}

/// `audit --fix` on every case whose markers say what the own-GIL verdict
/// becomes (`after-fix=`): the safe fixes are applied to a copy, the fixed
/// files match the `fixed.snap` snapshot (each under a `=== path ===`
/// line), compile against the machine's Python and the runtime, and the
/// copy's audit gives each marked module that verdict.
#[test]
fn audit_fixes_give_the_marked_verdicts() {
    let includes = support::python_includes();
    let runtime = std::fs::canonicalize("runtime").unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases() {
        let want = expected(&case);
        if want.after_fix.is_empty() {
            continue;
        }
        checked += 1;
        let report = audit_scan(&case.scan, 1);
        let fixed: BTreeMap<PathBuf, Vec<u8>> =
            apply::fix_files(&report.fix_targets(), UnsafeFixes::Disabled)
                .into_iter()
                .filter_map(|f| {
                    let text = f.result.expect("fix applies")?;
                    let path = f.source.path.strip_prefix(&case.dir).unwrap();
                    Some((path.to_path_buf(), text))
                })
                .collect();
        let dir = tempfile::tempdir().unwrap();
        for file in case_files(&case) {
            let to = dir.path().join(&file);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            match fixed.get(&file) {
                Some(text) => std::fs::write(&to, text).unwrap(),
                None => {
                    std::fs::copy(case.dir.join(&file), &to).unwrap();
                }
            }
        }
        if !fixed.is_empty() {
            let snapshot: String = fixed
                .iter()
                .map(|(path, text)| format!("=== {} ===\n{}", path.display(), snapshot::text(text)))
                .collect();
            if let Err(e) = snapshot::check(&case.dir, "fixed", &snapshot) {
                failures.push(e);
            }
        }
        for file in fixed
            .keys()
            .filter(|f| f.extension().is_some_and(|e| e == "c"))
        {
            let out = Command::new("cc")
                .args([
                    "-fsyntax-only",
                    "-std=c11",
                    "-Wall",
                    "-Werror",
                    "-Wno-unused-function",
                ])
                .args(&includes)
                .arg(format!("-I{}", runtime.display()))
                .arg(dir.path().join(file))
                .output()
                .expect("cc runs");
            if !out.status.success() {
                failures.push(format!(
                    "{} ({}) does not compile after the fix:\n{}",
                    case.dir.display(),
                    file.display(),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        let scan = dir.path().join(case.scan.file_name().unwrap());
        let again = audit_scan(&scan, 1);
        let audit = Audit::of(&again);
        let after: BTreeSet<(String, String)> = audit
            .modules
            .iter()
            .map(|m| (m.module.name.clone(), word(m.per_interpreter_gil.verdict)))
            .filter(|(name, _)| want.after_fix.iter().any(|w| &w.0 == name))
            .collect();
        if after != want.after_fix {
            failures.push(format!(
                "{}: after --fix, own-GIL verdicts {after:?}, expected {:?}",
                case.dir.display(),
                want.after_fix
            ));
        }
    }
    assert!(
        checked >= 3,
        "only {checked} audit cases say what --fix gives"
    );
    snapshot::assert_all_match(&failures);
}
