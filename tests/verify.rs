//! Verification and writing as library functions, without the binary:
//! `fix::verify::verify_fixes` compiles each fixed unit with its checked
//! command and gives each file a verdict, `ScanReport::mark_verified`
//! records it on the fixes, and `fix::apply::write_fixes` writes only what
//! was accepted. Needs gcc at /usr/bin/gcc and `python3-config`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use oncevar::check::{self, ScanOptions};
use oncevar::fix::apply::{self, UnsafeFixes};
use oncevar::fix::verify::{self, Verdict, VerifyOptions};
use oncevar::project::compdb::Database;
use oncevar::project::trust::{DatabaseTrust, Trust};

const GOOD: &str = "#include <Python.h>\n\
static PyObject *name = NULL;\n\
static PyObject *get(void)\n{\n    if (name == NULL) {\n        name = PyUnicode_FromString(\"n\");\n    }\n    return name;\n}\n";

/// `Py_ONCEVAR_DECLARE` is the runtime's macro: a file that defines it
/// again breaks under `-Werror` once the fix includes the runtime header.
const BREAKS: &str = "#include <Python.h>\n\
static PyObject *other = NULL;\n\
static PyObject *get_other(void)\n{\n    if (other == NULL) {\n        other = PyUnicode_FromString(\"o\");\n    }\n    return other;\n}\n\
#define Py_ONCEVAR_DECLARE 0\n";

fn python_includes() -> Vec<String> {
    let out = std::process::Command::new("python3-config")
        .arg("--includes")
        .output()
        .expect("python3-config runs (python3-dev)");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// A project with two units and its (named, so trusted) database.
fn project() -> (tempfile::TempDir, PathBuf, Database) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("good.c"), GOOD).unwrap();
    std::fs::write(root.join("breaks.c"), BREAKS).unwrap();
    let entries: Vec<serde_json::Value> = ["good.c", "breaks.c"]
        .iter()
        .map(|f| {
            let mut arguments = vec![
                "/usr/bin/gcc".to_owned(),
                "-Werror".to_owned(),
                "-c".to_owned(),
                (*f).to_owned(),
            ];
            arguments.extend(python_includes());
            serde_json::json!({"directory": root, "file": f, "arguments": arguments})
        })
        .collect();
    let text = serde_json::Value::Array(entries).to_string();
    let (db, warnings) = Database::parse(&text, Path::new("cc.json"), &root).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    (dir, root, db)
}

#[test]
fn verify_fixes_gives_each_fixed_file_its_verdict_and_write_fixes_keeps_the_refused() {
    let (_dir, root, db) = project();
    let options = ScanOptions {
        paths: vec![root.clone()],
        ..ScanOptions::default()
    };
    let mut report = check::scan(&options).unwrap();
    let trust = Trust::new(DatabaseTrust::Named, &[], std::slice::from_ref(&root)).unwrap();
    let verify_options = VerifyOptions {
        roots: vec![root.clone()],
        jobs: 2,
        timeout: Duration::from_secs(60),
        unsafe_fixes: UnsafeFixes::Disabled,
    };
    let verdicts =
        verify::verify_fixes(&report.fix_targets(), &db, &trust, &verify_options).unwrap();
    assert_eq!(
        verdicts.get(&root.join("good.c")),
        Some(&Ok(Verdict::Verified))
    );
    assert!(
        matches!(verdicts.get(&root.join("breaks.c")), Some(Ok(Verdict::Refused(e))) if e.contains("Py_ONCEVAR")),
        "{verdicts:?}"
    );
    report.mark_verified(&verdicts, UnsafeFixes::Disabled);
    let verified: Vec<(String, Option<bool>)> = report
        .diagnostics()
        .map(|d| (d.variable.clone(), d.fix.as_ref().unwrap().verified))
        .collect();
    assert_eq!(
        verified,
        [
            ("other".to_owned(), Some(false)),
            ("name".to_owned(), Some(true))
        ]
    );
    let targets = report.fix_targets();
    let written = apply::write_fixes(&targets, UnsafeFixes::Disabled, &|path| {
        verify::accepted(&verdicts, path)
    });
    assert_eq!(written.sites(), 1);
    assert!(written.failed.is_empty());
    assert!(std::fs::read_to_string(root.join("good.c"))
        .unwrap()
        .contains("Py_ONCEVAR(name)"));
    assert_eq!(
        std::fs::read_to_string(root.join("breaks.c")).unwrap(),
        BREAKS
    );
}

#[test]
fn an_untrusted_database_gives_no_verdict_and_a_refused_command_says_why() {
    let (_dir, root, mut db) = project();
    let options = ScanOptions {
        paths: vec![root.clone()],
        ..ScanOptions::default()
    };
    let report = check::scan(&options).unwrap();
    let verify_options = VerifyOptions {
        roots: vec![root.clone()],
        jobs: 1,
        timeout: Duration::from_secs(60),
        unsafe_fixes: UnsafeFixes::Disabled,
    };
    let found = Trust::new(DatabaseTrust::Found, &[], std::slice::from_ref(&root)).unwrap();
    let verdicts =
        verify::verify_fixes(&report.fix_targets(), &db, &found, &verify_options).unwrap();
    assert!(verdicts.is_empty(), "nothing runs: {verdicts:?}");
    // Named, but told to load a plugin: not run, with the reason.
    for unit in &mut db.units {
        unit.arguments.insert(1, "-fplugin=./x.so".to_owned());
    }
    let named = Trust::new(DatabaseTrust::Named, &[], std::slice::from_ref(&root)).unwrap();
    let verdicts =
        verify::verify_fixes(&report.fix_targets(), &db, &named, &verify_options).unwrap();
    assert!(
        matches!(verdicts.get(&root.join("good.c")), Some(Ok(Verdict::NotRun(why))) if why.contains("-fplugin=./x.so")),
        "{verdicts:?}"
    );
    assert!(verify::accepted(&verdicts, &root.join("good.c")));
}
