//! SARIF output, checked by real validators against the SARIF 2.1.0 schema
//! (ajv with the official schema, and the SARIF SDK's Multitool `validate`,
//! which adds SARIF's own consistency rules), both installed into
//! `.cache/node` by `scripts/install-test-tools.sh`. Without them the
//! validation tests fail (unless `ONCEVAR_ALLOW_SKIP=1`). Also: only
//! the rules that fired are listed, a fix becomes a SARIF fix, and
//! fingerprints survive unrelated edits.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use oncevar::check::{self, ScanOptions, ScanReport};
use oncevar::diagnostic::{Applicability, Diagnostic, Edit, Fix, Reason, ReasonKind};
use oncevar::report::{self, ColorChoice, Format, RenderOptions};
use oncevar::scan::discover::Problem;
use serde_json::Value;

mod support;

const INSTALL: &str = "scripts/install-test-tools.sh";

struct Validators {
    ajv: PathBuf,
    schema: PathBuf,
    multitool: PathBuf,
}

fn validators(test: &str) -> Option<Validators> {
    let node = Path::new(".cache/node/node_modules");
    let multitool_dir = node.join("@microsoft/sarif-multitool-linux");
    let v = Validators {
        ajv: node.join(".bin/ajv"),
        schema: multitool_dir.join("sarif-2.1.0.json"),
        multitool: multitool_dir.join("Sarif.Multitool"),
    };
    if v.ajv.exists() && v.schema.exists() && v.multitool.exists() {
        return Some(v);
    }
    support::missing(
        test,
        &format!("the SARIF validators are not in .cache/node (run {INSTALL})"),
    );
    None
}

impl Validators {
    /// What each validator objects to in `logs`, in its own words.
    fn objections(&self, logs: &[(&str, String)]) -> (Option<String>, Option<String>) {
        let dir = tempfile::tempdir().unwrap();
        // ajv picks its parser by extension; the Multitool wants `.sarif`.
        let (mut json, mut sarif) = (Vec::new(), Vec::new());
        for (name, log) in logs {
            json.push(dir.path().join(format!("{name}.json")));
            sarif.push(dir.path().join(format!("{name}.sarif")));
            std::fs::write(json.last().unwrap(), log).unwrap();
            std::fs::write(sarif.last().unwrap(), log).unwrap();
        }
        let mut ajv = Command::new(&self.ajv);
        ajv.args(["validate", "--spec=draft2020", "-c", "ajv-formats"])
            .args(["--all-errors", "--errors=text", "-s"])
            .arg(&self.schema);
        for file in &json {
            ajv.arg("-d").arg(file);
        }
        let out = ajv.output().expect("ajv runs");
        let schema = (!out.status.success()).then(|| {
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });

        let out = Command::new(&self.multitool)
            .arg("validate")
            .args(&sarif)
            .arg("--output")
            .arg(dir.path().join("validation.sarif"))
            .output()
            .expect("the SARIF Multitool runs");
        let text = String::from_utf8_lossy(&out.stdout);
        // It exits 0 whatever it finds; its findings are `file(l,c): level CODE: ...`.
        let findings: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("): error ") || l.contains("): warning "))
            .collect();
        let all_read = text.contains(&format!("{} files scanned", logs.len()));
        let multitool = (!out.status.success() || !findings.is_empty() || !all_read)
            .then(|| format!("{text}{}", String::from_utf8_lossy(&out.stderr)));
        (schema, multitool)
    }
}

fn oncevar(args: &[&str]) -> String {
    let out = Command::cargo_bin("oncevar")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The SARIF log of `tests/formats.rs`'s tree (every code, a suppressed
/// site, an unused suppression, a file name that needs escaping), with
/// `extra` arguments.
fn formats_sarif(extra: &[&str]) -> String {
    let mut args = vec![
        "check",
        "testdata/formats/input",
        "--no-config",
        "--report-unused-ignores",
        "--output-format",
        "sarif",
    ];
    args.extend_from_slice(extra);
    oncevar(&args)
}

fn scan_path(path: &Path) -> ScanReport {
    check::scan(&ScanOptions {
        paths: vec![path.to_path_buf()],
        jobs: 1,
        ..ScanOptions::default()
    })
    .unwrap()
}

fn sarif(report: &ScanReport) -> String {
    let mut out = Vec::new();
    report::emit(
        Format::Sarif,
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

/// A scanned site with a fix built by hand, whatever the rewriter produces:
/// an unsafe one with a reason, two edits, one of them an insertion.
fn with_hand_built_fix(d: &Diagnostic) -> Diagnostic {
    let mut insert_at = d.declaration;
    insert_at.span.end = insert_at.span.start;
    insert_at.end = insert_at.start;
    Diagnostic {
        fix: Some({
            let mut fix = Fix::new(
                Applicability::Unsafe,
                vec![
                    Reason::new(ReasonKind::Macro, "a reference inside a macro body")
                        .at(&d.path, d.declarator),
                    Reason::new(ReasonKind::Unit, "a reason without a place"),
                ],
                vec![
                    Edit {
                        path: d.path.clone(),
                        location: insert_at,
                        replacement: "#include \"oncevar.h\"\n".to_owned(),
                        parse_as: None,
                    },
                    Edit {
                        path: d.path.clone(),
                        location: d.declaration,
                        replacement: format!(
                            "Py_ONCEVAR_DECLARE({}, {});",
                            d.type_name, d.variable
                        ),
                        parse_as: None,
                    },
                ],
            );
            fix.verified = Some(true);
            fix
        }),
        ..d.clone()
    }
}

/// The logs the validators see: every format case's SARIF, a file with
/// parse errors, an absolute path, a hand-built fix, and unreadable paths.
fn logs() -> Vec<(&'static str, String)> {
    let mut logs = vec![
        (
            "demo",
            oncevar(&["check", "testdata/demo", "--output-format", "sarif"]),
        ),
        ("formats", formats_sarif(&[])),
        (
            // Results with the free-threading property bag.
            "free-threaded",
            oncevar(&[
                "check",
                "testdata/compdb/freethreaded",
                "--compile-commands",
                "testdata/compdb/freethreaded/compile_commands.json",
                "--output-format",
                "sarif",
            ]),
        ),
        (
            "formats-baseline",
            formats_sarif(&["--baseline", "testdata/formats/baseline.json"]),
        ),
        (
            "clean",
            oncevar(&[
                "check",
                "testdata/cases/not-cursor-pointer",
                "--output-format",
                "sarif",
            ]),
        ),
        (
            // A display-only fix without edits (a struct with object
            // members): no SARIF fix, which needs one change at least.
            "display-only-fix",
            oncevar(&[
                "check",
                "testdata/cases/not-struct-field-same-name",
                "--output-format",
                "sarif",
            ]),
        ),
    ];
    for case in ["claim-gil-not-used-slot", "claim-multiple-interpreters"] {
        logs.push((
            case,
            oncevar(&[
                "check",
                &format!("testdata/cases/{case}"),
                "--output-format",
                "sarif",
            ]),
        ));
    }
    logs.push((
        "parse-errors",
        oncevar(&["check", "testdata/parse-errors", "--output-format", "sarif"]),
    ));
    let absolute = std::fs::canonicalize("testdata/formats/input").unwrap();
    logs.push((
        "absolute",
        oncevar(&[
            "check",
            absolute.to_str().unwrap(),
            "--output-format",
            "sarif",
            "--report-unused-ignores",
        ]),
    ));
    let mut report = scan_path(Path::new("testdata/formats/input/module.c"));
    let d = &mut report.files[0].diagnostics[0];
    *d = with_hand_built_fix(d);
    report.problems.push(Problem {
        path: "unreadable dir/x.c".to_owned(),
        message: "cannot read file: permission denied".to_owned(),
        fatal: true,
    });
    logs.push(("hand-built-fix", sarif(&report)));
    logs
}

#[test]
fn sarif_is_valid_against_the_schema() {
    let Some(validators) = validators("sarif_is_valid_against_the_schema") else {
        return;
    };
    let (schema, multitool) = validators.objections(&logs());
    assert!(
        schema.is_none(),
        "not valid against the schema:\n{schema:?}"
    );
    assert!(
        multitool.is_none(),
        "the SARIF Multitool objects:\n{multitool:?}"
    );
}

/// The validators are not a formality: each rejects a log broken its way.
#[test]
fn the_validators_reject_broken_logs() {
    let Some(validators) = validators("the_validators_reject_broken_logs") else {
        return;
    };
    let log: Value = serde_json::from_str(&formats_sarif(&[])).unwrap();
    let mut bad_level = log.clone();
    bad_level["runs"][0]["results"][0]["level"] = "warn".into();
    let (schema, _) = validators.objections(&[("bad-level", bad_level.to_string())]);
    assert!(schema.is_some_and(|s| s.contains("level")));
    let mut bad_region = log;
    bad_region["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["endLine"] =
        1.into();
    let (_, multitool) = validators.objections(&[("bad-region", bad_region.to_string())]);
    assert!(multitool.is_some_and(|m| m.contains("SARIF1007")));
}

#[test]
fn a_fix_becomes_a_sarif_fix() {
    let mut report = scan_path(Path::new("testdata/formats/input/module.c"));
    let d = &mut report.files[0].diagnostics[0];
    *d = with_hand_built_fix(d);
    let d = d.clone();
    report.problems.push(Problem {
        path: "gone.c".to_owned(),
        message: "cannot read file".to_owned(),
        fatal: true,
    });
    let v: Value = serde_json::from_str(&sarif(&report)).unwrap();
    let run = &v["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"][0]["level"],
        "error"
    );
    let fix = &run["results"][0]["fixes"][0];
    let description = fix["description"]["text"].as_str().unwrap();
    assert!(
        description
            .contains("(unsafe fix: a reason without a place; a reference inside a macro body)"),
        "{description}"
    );
    // The reasons as data: kind, message, and a location when one is named.
    let reasons = fix["properties"]["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 2);
    assert_eq!(reasons[0]["kind"], "unit");
    assert!(reasons[0].get("location").is_none());
    assert_eq!(reasons[1]["kind"], "macro");
    assert_eq!(reasons[1]["message"], "a reference inside a macro body");
    let at = &reasons[1]["location"]["physicalLocation"];
    assert_eq!(
        at["artifactLocation"]["uri"],
        "testdata/formats/input/module.c"
    );
    assert_eq!(at["region"]["startLine"], d.declarator.start.line);
    assert_eq!(fix["properties"]["verified"], true);
    let change = &fix["artifactChanges"][0];
    assert_eq!(
        change["artifactLocation"]["uri"],
        "testdata/formats/input/module.c"
    );
    let replacements = change["replacements"].as_array().unwrap();
    assert_eq!(replacements.len(), 2);
    let insertion = &replacements[0];
    assert_eq!(insertion["deletedRegion"]["byteLength"], 0);
    assert_eq!(
        insertion["deletedRegion"]["startLine"],
        d.declaration.start.line
    );
    assert_eq!(
        insertion["insertedContent"]["text"],
        "#include \"oncevar.h\"\n"
    );
    let declaration = &replacements[1]["deletedRegion"];
    assert_eq!(declaration["byteOffset"], d.declaration.span.start);
    assert_eq!(
        declaration["byteLength"],
        d.declaration.span.end - d.declaration.span.start
    );
    assert_eq!(declaration["endColumn"], d.declaration.end.column);
    // No fix, no `fixes`.
    let mut plain = report;
    plain.files[0].diagnostics[0].fix = None;
    let v: Value = serde_json::from_str(&sarif(&plain)).unwrap();
    assert!(v["runs"][0]["results"][0].get("fixes").is_none());
}

#[test]
fn only_the_rules_that_fired_are_listed() {
    let v: Value = serde_json::from_str(&oncevar(&[
        "check",
        "testdata/cases/guard-not-operator",
        "--output-format",
        "sarif",
    ]))
    .unwrap();
    let driver = &v["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "oncevar");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 1);
    let rule = &rules[0];
    assert_eq!(rule["id"], "OV101");
    for key in ["shortDescription", "fullDescription", "help"] {
        assert!(!rule[key]["text"].as_str().unwrap().is_empty(), "{key}");
    }
    assert!(rule["help"]["text"]
        .as_str()
        .unwrap()
        .contains("Why it matters"));
    let result = &v["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "OV101");
    assert_eq!(result["ruleIndex"], 0);
    let related = result["relatedLocations"].as_array().unwrap();
    let messages: Vec<&str> = related
        .iter()
        .map(|r| r["message"]["text"].as_str().unwrap())
        .collect();
    assert!(messages.contains(&"NULL guard") && messages.contains(&"assigned here"));
    let region = &result["locations"][0]["physicalLocation"]["region"];
    for key in ["startLine", "startColumn", "endLine", "endColumn"] {
        assert!(region[key].as_u64().unwrap() >= 1, "{key}");
    }
}

fn fingerprints(dir: &Path, text: &str) -> Vec<(String, String)> {
    std::fs::write(dir.join("m.c"), text).unwrap();
    let v: Value = serde_json::from_str(&sarif(&scan_path(&dir.join("m.c")))).unwrap();
    v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                r["partialFingerprints"]["oncevarSite/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let dir = tempfile::tempdir().unwrap();
    let site = |name: &str| {
        format!(
            "static PyObject *\nget(void)\n{{\n    static PyObject *{name} = NULL;\n    \
             if ({name} == NULL) {{\n        {name} = PyDict_New();\n    }}\n    return {name};\n}}\n"
        )
    };
    let before = fingerprints(dir.path(), &site("cache"));
    assert_eq!(before.len(), 1);
    let moved = format!(
        "/* a new header comment */\n#include <Python.h>\n\nstatic int unrelated;\n\n{}",
        site("cache").replace("    ", "        ")
    );
    assert_eq!(fingerprints(dir.path(), &moved), before);
    assert_ne!(fingerprints(dir.path(), &site("other")), before);
}

/// A site of a module that claims isolation is an error, and OV401 too;
/// the claim is a related location, and the OV401 rule's default level is
/// error.
#[test]
fn claims_are_errors_with_the_claim_as_related_location() {
    for (case, code, claim) in [
        (
            "claim-gil-not-used-slot",
            "OV401",
            "the module claims to run without the GIL here",
        ),
        (
            "claim-per-interpreter-gil",
            "OV101",
            "the module claims support for interpreters with their own GIL here",
        ),
    ] {
        let report = scan_path(&Path::new("testdata/cases").join(case));
        let log: serde_json::Value = serde_json::from_str(&sarif(&report)).unwrap();
        let run = &log["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{case}");
        for result in results {
            assert_eq!(result["ruleId"], code, "{case}");
            assert_eq!(result["level"], "error", "{case}");
            let related = result["relatedLocations"].as_array().unwrap();
            assert!(
                related.iter().any(|r| r["message"]["text"] == claim),
                "{case}: {related:?}"
            );
        }
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let rule = rules.iter().find(|r| r["id"] == code).unwrap();
        let default_level = &rule["defaultConfiguration"]["level"];
        let expected = if code == "OV401" { "error" } else { "warning" };
        assert_eq!(default_level, expected, "{case}");
    }
}
