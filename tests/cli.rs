//! The binary as users and CI run it: exit codes, every output format,
//! thread-count independence, bad input, and a closed pipe.

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command as Cmd;
use predicates::prelude::*;

#[path = "support/pipe.rs"]
mod pipe;
#[path = "support/readme.rs"]
mod readme;

fn oncevar() -> Cmd {
    Cmd::cargo_bin("oncevar").unwrap()
}

const SITE: &str = "#include <Python.h>\n\
static PyObject *cache = NULL;\n\
static PyObject *get(void) {\n\
    if (cache == NULL) {\n\
        cache = PyUnicode_FromString(\"x\");\n\
    }\n\
    return cache;\n\
}\n";

fn json(args: &[&str]) -> serde_json::Value {
    let out = oncevar().args(args).output().unwrap();
    serde_json::from_slice(&out.stdout).expect("valid JSON on stdout")
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("clean.c"), "static int x;\n").unwrap();
    oncevar().arg("check").arg(dir.path()).assert().code(0);
    std::fs::write(dir.path().join("site.c"), SITE).unwrap();
    oncevar().arg("check").arg(dir.path()).assert().code(1);
    oncevar()
        .args(["check", "no/such/path"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/path"));
    oncevar()
        .args(["check", "--output-format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn json_report_has_the_documented_fields() {
    let v = json(&["check", "testdata/demo", "--output-format", "json"]);
    assert_eq!(v["version"], 1);
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for key in [
            "code",
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "variable",
            "type",
            "function",
            "guards",
            "assignments",
            "fixable",
            "message",
            "severity",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
        assert!(f["path"].as_str().unwrap().starts_with("testdata/demo/"));
        assert!(f["line"].as_u64().unwrap() >= 1 && f["column"].as_u64().unwrap() >= 1);
    }
    let lazy = findings.iter().find(|f| f["code"] == "OV101").unwrap();
    assert!(!lazy["guards"].as_array().unwrap().is_empty());
    assert!(!lazy["assignments"].as_array().unwrap().is_empty());
    assert_eq!(
        v["summary"]["findings"].as_u64().unwrap() as usize,
        findings.len()
    );
    // The demo tree holds exactly the sites testdata/demo/EXPECTED.md lists.
    assert_eq!(
        v["summary"]["by_code"],
        serde_json::json!({"OV101": 6, "OV102": 2, "OV201": 2, "OV301": 1})
    );
}

#[test]
fn json_fix_reasons_are_a_list_with_kinds_and_places() {
    // The address escapes in a header of the unit: the reason names the
    // header and the line there, not a place in the unit's joined text.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.c"),
        "#include <Python.h>\nstatic PyObject *name = NULL;\n#include \"part.h\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("part.h"),
        "static PyObject *get(void) {\n    if (name == NULL) {\n        \
         name = PyUnicode_FromString(\"n\");\n    }\n    return name;\n}\n\
         static PyObject **table[] = {&name};\n",
    )
    .unwrap();
    let v = json(&[
        "check",
        dir.path().to_str().unwrap(),
        "--output-format",
        "json",
    ]);
    let fix = &v["findings"][0]["fix"];
    assert_eq!(fix["safety"], "unsafe");
    let reasons = fix["reasons"].as_array().unwrap();
    let address = reasons
        .iter()
        .find(|r| r["kind"] == "address")
        .unwrap_or_else(|| panic!("an address reason: {fix}"));
    let at = &address["location"];
    assert!(at["path"].as_str().unwrap().ends_with("part.h"), "{at}");
    assert_eq!((&at["line"], &at["column"]), (&7.into(), &31.into()));
    // The joined string stays, for the tools that read it.
    let joined: Vec<&str> = reasons
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert_eq!(fix["reason"], joined.join("; "));
    // A safe fix has none.
    let safe = json(&["check", "testdata/demo", "--output-format", "json"]);
    let plain = safe["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fix"]["safety"] == "safe")
        .unwrap();
    assert_eq!(plain["fix"]["reasons"], serde_json::json!([]));
    assert_eq!(plain["fix"]["reason"], serde_json::Value::Null);
}

#[test]
fn paths_are_shown_as_reached_from_the_argument() {
    let v = json(&["check", ".", "--output-format", "json"]);
    let dir = std::env::current_dir().unwrap();
    let in_demo = Cmd::cargo_bin("oncevar")
        .unwrap()
        .current_dir(dir.join("testdata/demo"))
        .args(["check", "--output-format", "concise"])
        .output()
        .unwrap();
    let text = String::from_utf8(in_demo.stdout).unwrap();
    assert!(
        text.lines()
            .all(|l| l.starts_with("src/") || l.starts_with("include/")),
        "{text}"
    );
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["path"].as_str().unwrap().starts_with("./")));
}

#[test]
fn every_format_is_identical_across_thread_counts() {
    for format in ["human", "concise", "json"] {
        let run = |jobs: &str| {
            oncevar()
                .args([
                    "check",
                    "testdata",
                    "--output-format",
                    format,
                    "--jobs",
                    jobs,
                ])
                .output()
                .unwrap()
                .stdout
        };
        let one = run("1");
        assert!(!one.is_empty());
        assert_eq!(one, run("2"), "{format} differs between --jobs 1 and 2");
        assert_eq!(one, run("2"), "{format} differs between runs");
    }
}

#[test]
fn human_output_shows_declaration_guard_and_assignment() {
    oncevar()
        .args([
            "check",
            "testdata/cases/guard-not-operator/input.c",
            "--color",
            "never",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("warning[OV101]"))
        .stdout(predicate::str::contains("declared here"))
        .stdout(predicate::str::contains("NULL guard"))
        .stdout(predicate::str::contains("assigned here"))
        .stdout(predicate::str::contains("help:"))
        .stdout(predicate::str::contains(
            "found 1 site (OV101: 1) in 1 file scanned",
        ));
}

#[test]
fn concise_output_is_one_line_per_site() {
    let out = oncevar()
        .args([
            "check",
            "testdata/cases/decl-multi-declarator-mixed/input.c",
            "--output-format",
            "concise",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("testdata/cases/decl-multi-declarator-mixed/input.c:10:18: OV101 ")
    );
}

#[test]
fn rule_explains_each_code() {
    let every = oncevar::diagnostic::Code::ALL.map(|c| c.as_str().to_owned());
    for code in every
        .iter()
        .map(String::as_str)
        .chain(["ov101", "lazy-static-memory"])
    {
        oncevar()
            .args(["rule", code])
            .assert()
            .success()
            .stdout(predicate::str::contains("Why it matters"))
            .stdout(predicate::str::contains("Fix"));
    }
    let listed = oncevar().arg("rule").assert().success();
    let listed = String::from_utf8(listed.get_output().stdout.clone()).unwrap();
    assert_eq!(listed.lines().count(), every.len(), "{listed}");
    for code in &every {
        assert!(listed.contains(code.as_str()), "{listed}");
    }
    // The lists of codes in `--help`, `-h` and `rule --help` are the
    // registry's: every rule appears in each.
    for args in [
        &["rule", "--help"][..],
        &["--help"],
        &["-h"],
        &["help", "rule"],
    ] {
        let help = oncevar().args(args).assert().success();
        let help = String::from_utf8(help.get_output().stdout.clone()).unwrap();
        for code in &every {
            assert!(
                help.contains(code.as_str()),
                "`oncevar {}` lists {code}: {help}",
                args.join(" ")
            );
        }
    }
    oncevar()
        .args(["rule", "OV999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown code"));
}

/// `oncevar rule CODE` says how to suppress the code: for one site, and
/// for the project or a path, with the code and with the rule's name.
#[test]
fn rule_shows_how_to_suppress() {
    let out = oncevar().args(["rule", "OV102"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let suppress = text
        .split("\nSuppress\n")
        .nth(1)
        .expect("a Suppress section");
    for expected in [
        "/* oncevar: ignore[OV102] */",
        "// oncevar: ignore[lazy-static-object-released]",
        "ignore = [\"OV102\"]",
        "[per-path-ignores]",
        "oncevar check --ignore OV102",
    ] {
        assert!(
            suppress.contains(expected),
            "{expected} missing:\n{suppress}"
        );
    }
}

/// OV401's document shows what `--fix` writes: each code block before a
/// rewrite (the example, then each block followed by "becomes"), fixed in a
/// module that claims `Py_MOD_GIL_NOT_USED`, gives the code block that
/// follows it, comments aside.
#[test]
fn rule_ov401_shows_what_the_fix_writes() {
    let rule = oncevar::rules::rule(oncevar::diagnostic::Code::OV401);
    let paragraphs: Vec<&str> = rule.fix.split("\n\n").collect();
    let mut pairs = vec![(rule.example.to_owned(), paragraphs[1].to_owned())];
    for (at, p) in paragraphs.iter().enumerate() {
        if *p == "becomes" {
            pairs.push((paragraphs[at - 1].to_owned(), paragraphs[at + 1].to_owned()));
        }
    }
    assert!(pairs.len() >= 2, "{}", rule.fix);
    let uncomment = |text: &str| -> String {
        text.lines()
            .map(|l| match l.find("/*") {
                Some(at) if l.trim_end().ends_with("*/") => l[..at].trim_end(),
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (before, after) in pairs {
        assert!(before.contains('\n') && after.contains('\n'), "code blocks");
        let body: String = before.lines().map(|l| format!("    {l}\n")).collect();
        let module = format!(
            "#include <Python.h>\n\
             static PyObject *fn;\n\
             static PyObject *\n\
             get(void)\n\
             {{\n\
             /* begin */\n\
             {body}\
             /* end */\n    return NULL;\n}}\n\
             static PyMethodDef methods[] = {{{{\"get\", (PyCFunction)get, METH_NOARGS, NULL}}, {{NULL}}}};\n\
             static PyModuleDef_Slot slots[] = {{{{Py_mod_gil, Py_MOD_GIL_NOT_USED}}, {{0, NULL}}}};\n\
             static struct PyModuleDef def = {{PyModuleDef_HEAD_INIT, \"m\", NULL, 0, methods, slots}};\n\
             PyMODINIT_FUNC PyInit_m(void) {{ return PyModuleDef_Init(&def); }}\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.c");
        std::fs::write(&path, &module).unwrap();
        let out = oncevar()
            .args(["check", "--fix"])
            .arg(&path)
            .output()
            .unwrap();
        let fixed = std::fs::read_to_string(&path).unwrap();
        let body = fixed
            .split("/* begin */\n")
            .nth(1)
            .and_then(|rest| rest.split("/* end */").next())
            .unwrap_or_else(|| panic!("{fixed}\n{out:?}"));
        let body: String = body
            .lines()
            .map(|l| l.strip_prefix("    ").unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(uncomment(&body), uncomment(&after), "{fixed}\n{out:?}");
    }
}

/// One bad file of each kind next to a real site: each is reported (or
/// handled) and the site is still found.
#[test]
fn bad_input_is_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("site.c"), SITE).unwrap();
    std::fs::write(d.join("empty.c"), "").unwrap();
    std::fs::write(
        d.join("binary.c"),
        b"\x7fELF\0\0\x01\x02static PyObject *x;",
    )
    .unwrap();
    let mut latin1 = b"/* caf\xe9 */\n".to_vec();
    latin1.extend_from_slice(SITE.replace("cache", "latin").as_bytes());
    std::fs::write(d.join("latin1.c"), latin1).unwrap();
    std::fs::write(
        d.join("crlf.c"),
        SITE.replace("cache", "crlf").replace('\n', "\r\n"),
    )
    .unwrap();
    // Parse errors count in files that may hold a site (a written static
    // pointer); the others are not parsed.
    std::fs::write(
        d.join("broken.c"),
        "static PyObject *p = NULL;\nint f( {{{ p = g();\n",
    )
    .unwrap();
    // A directory with a C name cannot be read as a file.
    std::fs::create_dir(d.join("dir.c")).unwrap();
    std::fs::write(d.join("dir.c").join("inner.txt"), "x").unwrap();

    let out = oncevar()
        .arg("check")
        .arg(d)
        .args(["--output-format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let vars: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["variable"].as_str().unwrap())
        .collect();
    assert_eq!(vars, ["crlf", "latin", "cache"]);
    let crlf = &v["findings"][0];
    assert_eq!(
        (crlf["line"].as_u64(), crlf["column"].as_u64()),
        (Some(2), Some(18))
    );
    let latin = &v["findings"][1];
    assert_eq!(
        (latin["line"].as_u64(), latin["column"].as_u64()),
        (Some(3), Some(18))
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("binary.c: binary file"), "{stderr}");
    assert!(v["summary"]["files_with_parse_errors"].as_u64().unwrap() >= 1);
    // Binary files are skipped with a warning, not an error: exit 1 (sites).
    assert_eq!(out.status.code(), Some(1));

    // Named explicitly, an unreadable path is an error (exit 2), and the
    // other files are still scanned.
    let out = oncevar()
        .arg("check")
        .arg(d.join("dir.c").join("inner.txt").join("x.c"))
        .arg(d.join("site.c"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("found 1 site"));
}

#[test]
fn oversized_files_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.c"), SITE.repeat(50)).unwrap();
    oncevar()
        .arg("check")
        .arg(dir.path())
        .args(["--max-file-size", "100"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("big.c: file is"));
}

#[test]
fn large_generated_file_is_scanned() {
    // About 8 MB of tables and functions with one site at the end.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("#include <Python.h>\n");
    let mut i = 0;
    while text.len() < 8_000_000 {
        text.push_str(&format!(
            "static const int table_{i}[] = {{{i}, 1, 2, 3, 4, 5, 6, 7, 8, 9}};\n\
             static int f_{i}(int x) {{ return x + table_{i}[x % 10]; }}\n"
        ));
        i += 1;
    }
    text.push_str(SITE);
    std::fs::write(dir.path().join("gen.c"), text).unwrap();
    oncevar()
        .arg("check")
        .arg(dir.path())
        .args(["--output-format", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("OV101"));
}

#[test]
fn excludes_and_gitignore_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for sub in ["a", "b", "ignored"] {
        std::fs::create_dir(d.join(sub)).unwrap();
        std::fs::write(d.join(sub).join("x.c"), SITE).unwrap();
    }
    std::fs::write(d.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::write(d.join("a").join("notes.txt"), SITE).unwrap();
    let out = oncevar()
        .current_dir(d)
        .args(["check", "--output-format", "concise", "--exclude", "b/**"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("a/x.c:2:18: OV101"), "{text}");
    // A file named explicitly is scanned whatever its extension.
    oncevar()
        .arg("check")
        .arg(d.join("a").join("notes.txt"))
        .assert()
        .code(1);
}

#[test]
fn closed_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..400 {
        std::fs::write(dir.path().join(format!("f{i}.c")), SITE).unwrap();
    }
    let (first, out) = pipe::first_line_then_close(
        Command::cargo_bin("oncevar")
            .unwrap()
            .arg("check")
            .arg(dir.path())
            .args(["--color", "never"]),
    );
    assert!(first.contains("OV101"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("error"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn fix_in_place_is_idempotent_and_writes_the_runtime() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(std::path::Path::new("testdata/demo"), dir.path());
    let run = |args: &[&str]| {
        oncevar()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[
        "check",
        "--fix",
        "--write-runtime",
        "include",
        "--output-format",
        "concise",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fixed 7 sites in 4 files"), "{stderr}");
    // OV201 and OV301 are reported only, and `single_space`'s fix (filled
    // under a process-wide flag) is unsafe: they remain, so the exit is 1.
    assert_eq!(out.status.code(), Some(1));
    let remaining = String::from_utf8(out.stdout).unwrap();
    assert!(
        remaining
            .lines()
            .all(|l| l.contains("OV201") || l.contains("OV301") || l.contains("`single_space`")),
        "{remaining}"
    );
    assert!(dir.path().join("include/oncevar.h").exists());
    let fixed = std::fs::read_to_string(dir.path().join("src/_speedups.c")).unwrap();
    assert!(fixed.contains("Py_ONCEVAR_DECLARE(PyObject *, str_lower);"));
    assert!(fixed.contains("#include \"oncevar.h\""));

    let before: Vec<u8> = std::fs::read(dir.path().join("src/_cache.c")).unwrap();
    let again = run(&["check", "--fix"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("fixed 0 sites in 0 files"));
    assert_eq!(
        std::fs::read(dir.path().join("src/_cache.c")).unwrap(),
        before
    );
    assert!(run(&["check", "--diff"]).stdout.is_empty());
}

#[test]
fn unsafe_fixes_apply_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.c");
    let original = std::fs::read("testdata/cases/fix-unsafe-macro-reference/input.c").unwrap();
    std::fs::write(&file, &original).unwrap();
    oncevar()
        .arg("check")
        .arg("--fix")
        .arg(&file)
        .assert()
        .code(1);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        original,
        "an unsafe fix is not applied"
    );
    oncevar()
        .arg("check")
        .arg("--diff")
        .arg("--unsafe-fixes")
        .arg(&file)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "+Py_ONCEVAR_DECLARE(PyObject *, json_dumps);",
        ));
    oncevar()
        .args(["check", "--fix", "--unsafe-fixes"])
        .arg(&file)
        .assert()
        .code(0);
    assert_ne!(std::fs::read(&file).unwrap(), original);
}

#[test]
fn runtime_command_prints_and_writes_the_header() {
    oncevar()
        .arg("runtime")
        .assert()
        .success()
        .stdout(predicate::str::contains("#define Py_ONCEVAR(name)"));
    // A folder that does not exist is created, and the user is told
    // (before, silently: a mistyped folder went unnoticed).
    let dir = tempfile::tempdir().unwrap();
    oncevar()
        .current_dir(dir.path())
        .args(["runtime", "--write", "nested/deeper"])
        .assert()
        .success()
        .stderr("note: created the folder nested/deeper\nwrote nested/deeper/oncevar.h\n");
    oncevar()
        .current_dir(dir.path())
        .args(["runtime", "--write", "nested"])
        .assert()
        .success()
        .stderr("wrote nested/oncevar.h\n");
    let written = std::fs::read_to_string(dir.path().join("nested/oncevar.h")).unwrap();
    assert_eq!(
        written,
        std::fs::read_to_string("runtime/oncevar.h").unwrap()
    );
}

/// A refused fix is an error, exit 2, in every mode: a fix that would
/// parse worse (here its include, `"oncevar.h\"`, is an unterminated
/// string to tree-sitter) printed `error:` but `--diff` exited 0 and
/// `--fix` 1, while a file changed since it was read exited 2.
#[test]
fn a_refused_fix_exits_2_in_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.c"), SITE).unwrap();
    for mode in ["--diff", "--fix"] {
        let out = oncevar()
            .current_dir(dir.path())
            .args(["check", mode, "--runtime-include", "oncevar.h\\", "."])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{mode}: {stderr}");
        assert!(
            stderr.contains("error: site.c: the fixed file would parse worse"),
            "{mode}: {stderr}"
        );
        assert!(out.stdout.is_empty() || mode == "--fix", "{mode}: {out:?}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("site.c")).unwrap(),
            SITE
        );
    }
}

/// `--jobs` starts no more threads than there is work for: a million on
/// one file took over a minute of starting threads (and 3,000 took 33 s);
/// now it is the one thread that file needs, and the report is the same.
#[test]
fn jobs_are_capped_by_the_work() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.c"), SITE).unwrap();
    let run = |jobs: &str| {
        oncevar()
            .current_dir(dir.path())
            .args(["check", "--output-format", "concise", "--jobs", jobs, "."])
            .timeout(std::time::Duration::from_secs(30))
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(run("1000000"), run("1"));
}

#[test]
fn runtime_include_is_configurable() {
    oncevar()
        .args([
            "check",
            "--diff",
            "--runtime-include",
            "<oncevar/oncevar.h>",
        ])
        .arg("testdata/cases/guard-not-operator/input.c")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("+#include <oncevar/oncevar.h>"));
}

/// `--runtime-include` is checked as `runtime-include` in `oncevar.toml`
/// is: a line break (or another control character) would put a line of
/// the user's text into every fixed file. Before, the flag was taken as
/// it was and `--fix` wrote `#define EVIL 1` into the file.
#[test]
fn runtime_include_with_a_line_break_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.c"), SITE).unwrap();
    for include in [
        "\"oncevar.h\"\n#define EVIL 1",
        "oncevar.h\r#define EVIL 1",
        "<oncevar.h\x1b[2J>",
    ] {
        oncevar()
            .current_dir(dir.path())
            .args(["check", "--fix", "--runtime-include", include, "."])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is not a header name"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("site.c")).unwrap(),
            SITE,
            "{include:?}"
        );
    }
    oncevar()
        .current_dir(dir.path())
        .args([
            "check",
            "--diff",
            "--runtime-include",
            "oncevar/oncevar.h",
            ".",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("+#include \"oncevar/oncevar.h\""));
}

/// The README's quick-start command, run as written, prints what its
/// sample shows: the sample is the output's first finding and its last
/// line, and the text above it counts the sites left out.
#[test]
fn readme_quick_start_shows_real_output() {
    let quick_start = readme::section("Quick start");
    let command = readme::commands(&readme::block("Quick start", "sh"));
    assert_eq!(
        command,
        ["oncevar check testdata/demo"],
        "the test runs the built binary with the command's arguments"
    );
    // The fresh-clone block builds and runs the same command with cargo.
    let fresh = readme::commands(&readme::block("From a fresh clone", "sh"));
    assert_eq!(
        fresh[0],
        "cargo run --locked --release -- check testdata/demo"
    );
    let sample = readme::block("Quick start", "text");
    let out = oncevar()
        .args(["check", "testdata/demo", "--color", "never"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let paragraphs: Vec<&str> = sample.trim_end().split("\n\n").collect();
    let [first, summary] = paragraphs[..] else {
        panic!("the sample is the first finding and the summary: {sample}");
    };
    assert!(
        out.starts_with(&format!("{first}\n\n")),
        "the sample's finding is not the first printed:\n{first}"
    );
    assert!(
        out.ends_with(&format!("\n{summary}\n")),
        "the sample's summary is not the last line:\n{summary}"
    );
    let sites = out
        .lines()
        .filter(|l| l.trim_start().starts_with("┌─ "))
        .count();
    let prose = quick_start.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        prose.contains(&format!("each of the {sites} sites"))
            && prose.contains(&format!("the other {} are left out", sites - 1)),
        "the text says how many sites the sample leaves out ({sites} printed)"
    );
}

/// `--color auto` (the default) follows the usual variables: CLICOLOR_FORCE
/// colours even into a pipe, NO_COLOR wins over it, and a pipe is plain.
#[test]
fn color_auto_follows_clicolor_force_and_no_color() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.c"), SITE).unwrap();
    let coloured = |vars: &[(&str, &str)]| {
        let mut cmd = oncevar();
        cmd.args(["check", "--no-config"]).arg(dir.path());
        for var in ["CLICOLOR_FORCE", "NO_COLOR", "CLICOLOR", "TERM"] {
            cmd.env_remove(var);
        }
        cmd.envs(vars.iter().copied());
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        out.stdout.contains(&0x1b)
    };
    assert!(!coloured(&[]), "a pipe gets no colour");
    assert!(coloured(&[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
}

/// The commands of the README's "Fixing" block, run as written by a shell
/// in a git checkout of the demo tree: the `--diff` pipeline applies, the
/// runtime lands where it is asked to, and `--fix --write-runtime` leaves
/// only report-only sites.
#[test]
fn readme_fix_commands_work_as_written() {
    let commands = readme::commands(&readme::block("Fixing", "sh"));
    let [diff, runtime, fix] = &commands[..] else {
        panic!("three commands expected: {commands:?}");
    };
    let bin = assert_cmd::cargo::cargo_bin("oncevar");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let shell = |dir: &std::path::Path, command: &str| {
        Command::new("sh")
            .args(["-c", command])
            .current_dir(dir)
            .env("PATH", &path)
            .output()
            .unwrap()
    };
    let demo = || {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(std::path::Path::new("testdata/demo"), dir.path());
        let git = shell(dir.path(), "git init -q . && git add -A");
        assert!(git.status.success(), "{git:?}");
        dir
    };

    let dir = demo();
    let out = shell(dir.path(), diff);
    assert!(out.status.success(), "`{diff}` failed: {out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "the diff fixes 7 sites in 4 files; 4 sites not fixed (3 report only, 1 with an unsafe \
             fix: see --unsafe-fixes)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("`oncevar runtime --write include`, `oncevar runtime --write src`"),
        "the runtime is missing: say what to run\n{stderr}"
    );
    let fixed = std::fs::read_to_string(dir.path().join("src/_speedups.c")).unwrap();
    assert!(fixed.contains("Py_ONCEVAR_DECLARE(PyObject *, str_lower);"));
    let out = shell(dir.path(), &runtime.replace("DIR", "src"));
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("src/oncevar.h")).unwrap(),
        std::fs::read_to_string("runtime/oncevar.h").unwrap()
    );
    // Applied: nothing is left to fix, and the diff is empty.
    let again = shell(dir.path(), "oncevar check --diff .");
    assert!(
        again.status.success() && again.stdout.is_empty(),
        "{again:?}"
    );

    let dir = demo();
    let out = shell(dir.path(), fix);
    assert_eq!(
        out.status.code(),
        Some(1),
        "report-only sites remain: {out:?}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fixed 7 sites in 4 files"), "{stderr}");
    assert!(
        !stderr.contains("is not beside them"),
        "the runtime was written: {stderr}"
    );
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.ends_with("found 4 sites (OV101: 1, OV201: 2, OV301: 1) in 5 files scanned\n"),
        "neither a fixed file nor the runtime is counted as broken: {out}"
    );
    assert!(dir.path().join("Include/oncevar.h").is_file());
}

/// `--fix` without `--write-runtime` says what to run when the fixed
/// file's `#include "oncevar.h"` has no header beside it, and says nothing
/// once the header is there.
#[test]
fn fix_says_how_to_get_the_missing_runtime() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("my src")).unwrap();
    let file = dir.path().join("my src/m.c");
    std::fs::write(&file, SITE).unwrap();
    let out = oncevar()
        .current_dir(dir.path())
        .args(["check", "--fix"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fixed 1 site in 1 file\n"), "{stderr}");
    assert!(
        stderr.contains(
            "note: the fixed files `#include \"oncevar.h\"`, which is not beside them: \
             run `oncevar runtime --write 'my src'`"
        ),
        "{stderr}"
    );
    std::fs::write(&file, SITE).unwrap();
    oncevar()
        .current_dir(dir.path())
        .args(["runtime", "--write", "my src"])
        .assert()
        .success();
    let out = oncevar()
        .current_dir(dir.path())
        .args(["check", "--fix"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fixed 1 site in 1 file\n"), "{stderr}");
    assert!(!stderr.contains("note:"), "{stderr}");
}

/// `--diff` prints a patch, never a report: it refuses a report format
/// with a message that names both options.
#[test]
fn diff_with_a_report_format_is_rejected() {
    for format in ["json", "sarif", "human"] {
        oncevar()
            .args(["check", "--diff", "--output-format", format])
            .arg("testdata/demo")
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(
                "the argument '--diff' cannot be used with '--output-format <OUTPUT_FORMAT>'",
            ));
    }
}

/// `oncevar runtime --write` creates the header as any new file is
/// created: 0666 less the umask, so the build can read it.
#[cfg(unix)]
#[test]
fn runtime_header_honours_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let bin = assert_cmd::cargo::cargo_bin("oncevar");
    for (umask, mode) in [("022", 0o644), ("002", 0o664), ("077", 0o600)] {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("sh")
            .args([
                "-c",
                &format!("umask {umask} && \"$0\" runtime --write out"),
            ])
            .arg(&bin)
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(status.success());
        let meta = std::fs::metadata(dir.path().join("out/oncevar.h")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, mode, "umask {umask}");
    }
}

/// A file counted under "files with parse errors" is named, with the line
/// and column of its first error: in JSON (`parse_errors`), in SARIF (a
/// notification with a region), and in the text formats with
/// `--show-parse-errors` (otherwise a note says how to list them). A file
/// that cannot hold a site is not parsed, so not listed.
#[test]
fn files_with_parse_errors_are_listed() {
    let dir = "testdata/parse-errors";
    let v = json(&["check", dir, "--output-format", "json"]);
    assert_eq!(
        v["parse_errors"],
        serde_json::json!([{
            "path": "testdata/parse-errors/broken.c",
            "line": 8, "column": 26,
            "message": "missing `identifier`",
            "errors": 1
        }])
    );
    assert_eq!(v["summary"]["files_with_parse_errors"], 1);
    assert_eq!(
        v["summary"]["findings"], 2,
        "the broken file's site is found"
    );

    let sarif = json(&["check", dir, "--output-format", "sarif"]);
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notes.as_array().unwrap().len(), 1, "{notes}");
    let location = &notes[0]["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "testdata/parse-errors/broken.c"
    );
    assert_eq!(
        location["region"],
        serde_json::json!({"startLine": 8, "startColumn": 26})
    );

    let listed = "testdata/parse-errors/broken.c:8:26: parse error: missing `identifier` \
                  (1 error in the file; findings there may be missing or wrong)";
    let run = |args: &[&str]| {
        let out = oncevar()
            .args(["check", dir, "--color", "never"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (out, err) = run(&[]);
    assert!(!out.contains("parse error:") && !err.contains("parse error:"));
    assert!(
        out.ends_with("in 3 files scanned; 1 file with parse errors\n"),
        "{out}"
    );
    assert!(
        err.contains("note: --show-parse-errors lists the files with parse errors"),
        "{err}"
    );
    let (out, err) = run(&["--show-parse-errors"]);
    assert!(out.contains(&format!("{listed}\nfound 2 sites")), "{out}");
    assert!(!err.contains("note:"), "{err}");
    let (out, err) = run(&["--show-parse-errors", "--output-format", "concise"]);
    assert!(!out.contains("parse error"), "{out}");
    assert!(err.contains(listed), "{err}");
}

/// A unit's headers are read whether or not they are scanned: named alone,
/// a `.c` file still sees the object struct of the header it includes
/// (beside it, or in an `-I` folder), and the header outside the scan is
/// neither reported nor edited.
#[test]
fn included_headers_count_whether_or_not_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let header = "#include <Python.h>\n\
typedef struct { PyObject_HEAD int n; } NodeObject;\n\
extern PyTypeObject Node_Type;\n\
static inline NodeObject *node_new(void) { return PyObject_New(NodeObject, &Node_Type); }\n";
    let module = "#include <Python.h>\n\
#include \"node.h\"\n\
static NodeObject *root = NULL;\n\
static PyObject *get(void) {\n\
    if (root == NULL) {\n\
        root = node_new();\n\
    }\n\
    return (PyObject *)root;\n\
}\n";
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::create_dir_all(dir.path().join("headers")).unwrap();
    std::fs::write(dir.path().join("src/mod.c"), module).unwrap();
    std::fs::write(dir.path().join("headers/node.h"), header).unwrap();
    let codes = |args: &[&str]| -> Vec<(String, String)> {
        let out = oncevar()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_owned(),
                    f["path"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let check = ["check", "--output-format", "json", "src/mod.c"];
    // Unresolved, the struct is unknown: memory.
    assert_eq!(
        codes(&check),
        [("OV201".to_owned(), "src/mod.c".to_owned())]
    );
    let with_dir = [&check[..], &["-I", "headers"]].concat();
    assert_eq!(
        codes(&with_dir),
        [("OV101".to_owned(), "src/mod.c".to_owned())]
    );
    std::fs::write(
        dir.path().join("oncevar.toml"),
        "include-dirs = [\"headers\"]\n",
    )
    .unwrap();
    assert_eq!(
        codes(&check),
        [("OV101".to_owned(), "src/mod.c".to_owned())]
    );
    let out = oncevar()
        .current_dir(dir.path())
        .args(["check", "--diff", "src/mod.c"])
        .output()
        .unwrap();
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("+++ b/src/mod.c"), "{diff}");
    assert!(!diff.contains("b/headers/node.h"), "{diff}");
}

/// A header shared by two units is reported once, from its own path, and
/// the report does not depend on the thread count.
#[test]
fn a_shared_header_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shared.h"), SITE).unwrap();
    for name in ["a.c", "b.c", "c.c"] {
        std::fs::write(dir.path().join(name), "#include \"shared.h\"\n").unwrap();
    }
    let run = |jobs: &str| {
        oncevar()
            .current_dir(dir.path())
            .args(["check", "--output-format", "concise", "-j", jobs, "."])
            .output()
            .unwrap()
            .stdout
    };
    let one = String::from_utf8(run("1")).unwrap();
    assert_eq!(one.lines().count(), 1, "{one}");
    assert!(one.starts_with("shared.h:2:18: OV101"), "{one}");
    assert_eq!(run("2"), one.as_bytes());
}

/// A folder with one site, a binary file with a C name (a warning), and
/// the path of a file that does not exist (an error when named).
fn site_binary_and_missing() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.c"), SITE).unwrap();
    std::fs::write(dir.path().join("binary.c"), b"\x7fELF\0\0static").unwrap();
    let missing = dir.path().join("missing.c");
    (dir, missing)
}

fn stdio(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8(out.stdout.clone()).unwrap(),
        String::from_utf8(out.stderr.clone()).unwrap(),
    )
}

/// `--exit-zero` turns "sites found" into 0, as ruff's does; an error
/// still exits 2.
#[test]
fn exit_zero_ignores_sites_not_errors() {
    let (dir, missing) = site_binary_and_missing();
    let out = oncevar()
        .args([
            "check",
            "--no-config",
            "--exit-zero",
            "--output-format",
            "concise",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdio(&out).0.contains("OV101"),
        "the sites are still reported"
    );
    let out = oncevar()
        .args(["check", "--no-config", "--exit-zero"])
        .arg(dir.path())
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `-q` prints the findings and errors only: no summary line, no timing,
/// no warning; `-s` prints errors only; both keep the exit status, and
/// both work before or after the command's name.
#[test]
fn quiet_and_silent_print_findings_and_errors_only() {
    let (dir, missing) = site_binary_and_missing();
    let run = |args: &[&str], extra: &[&std::path::Path]| {
        let out = oncevar()
            .args(args)
            .arg(dir.path())
            .args(extra)
            .output()
            .unwrap();
        let code = out.status.code();
        let (stdout, stderr) = stdio(&out);
        (code, stdout, stderr)
    };
    let (code, stdout, stderr) = run(&["check", "--no-config"], &[]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("found 1 site"), "{stdout}");
    assert!(stderr.contains("warning: ") && stderr.contains("scanned in"));

    for quiet in [
        &["-q", "check", "--no-config"][..],
        &["check", "--quiet", "--no-config"],
    ] {
        let (code, stdout, stderr) = run(quiet, &[]);
        assert_eq!(code, Some(1));
        assert!(stdout.contains("warning[OV101]"), "{stdout}");
        assert!(!stdout.contains("found 1 site"), "no summary: {stdout}");
        assert_eq!(stderr, "", "no warning, note or timing");
    }
    let (code, stdout, stderr) = run(&["check", "-q", "--no-config"], &[&missing]);
    assert_eq!(code, Some(2));
    assert!(stdout.contains("warning[OV101]"));
    assert!(
        stderr.starts_with("error: ")
            && stderr.contains("missing.c")
            && !stderr.contains("warning"),
        "the error alone: {stderr}"
    );

    let (code, stdout, stderr) = run(&["-s", "check", "--no-config"], &[]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (Some(1), "", ""));
    let (code, stdout, stderr) = run(&["check", "--silent", "--no-config"], &[&missing]);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: ") && stderr.contains("missing.c"),
        "{stderr}"
    );

    let both = oncevar().args(["-q", "-s", "check"]).output().unwrap();
    assert_eq!(both.status.code(), Some(2), "-q and -s conflict");
}

/// `-q` is a level each message is printed at, not a filter on the text:
/// the listings a flag asks for (`--show-fixes`, `--show-parse-errors`
/// with a one-line format) are kept, as ruff's `--quiet` keeps its fix
/// summary; `-s` drops them; a warning about a file named `error…` is
/// still a warning.
#[test]
fn quiet_keeps_the_listings_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.c"), SITE).unwrap();
    std::fs::write(
        dir.path().join("broken.c"),
        format!("{SITE}\nint broken( {{\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("error.c"), b"\x7fELF\0\0static").unwrap();
    let stderr = |level: &str| {
        let out = oncevar()
            .current_dir(dir.path())
            .args([level, "check", "--no-config", "--show-fixes"])
            .args(["--show-parse-errors", "--output-format", "concise", "."])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        stdio(&out).1
    };
    let quiet = stderr("-q");
    assert_eq!(
        quiet,
        "broken.c:10:1: parse error: syntax error (1 error in the file; findings there may be \
         missing or wrong)\n\
         2 sites with a fix that --fix applies:\n- broken.c:\n    1 × OV101 (lazy-static-object)\n\
         - site.c:\n    1 × OV101 (lazy-static-object)\n",
        "the listings, no warning about error.c, no summary"
    );
    assert_eq!(stderr("-s"), "");
}

/// `--statistics` counts sites per code as ruff's does: a table, or a
/// JSON array; SARIF and annotations have no such form.
#[test]
fn statistics_count_sites_per_code() {
    let out = oncevar()
        .args(["check", "testdata/demo", "--statistics"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "sites found");
    let (stdout, stderr) = stdio(&out);
    assert_eq!(
        stdout,
        "6\tOV101\t[*] lazy-static-object\n\
         2\tOV102\t[*] lazy-static-object-released\n\
         2\tOV201\t[ ] lazy-static-memory\n\
         1\tOV301\t[ ] static-object-set-once\n"
    );
    assert!(stderr.contains("found 11 sites"), "{stderr}");

    let statistics = |format: &str| {
        oncevar()
            .args([
                "check",
                "testdata/demo",
                "--statistics",
                "--output-format",
                format,
            ])
            .output()
            .unwrap()
    };
    let out = statistics("json");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v[0],
        serde_json::json!({"code": "OV101", "name": "lazy-static-object", "count": 6, "fixable": 5})
    );
    assert_eq!(v.as_array().unwrap().len(), 4);
    assert_eq!(v[2]["fixable"], 0);

    let out = statistics("sarif");
    assert_eq!(out.status.code(), Some(2));
    assert!(stdio(&out).1.contains("--statistics"), "{out:?}");
}

/// `--show-fixes` lists, per file and code, the sites that `--fix` would
/// fix, that the diff fixes, or that were fixed.
#[test]
fn show_fixes_enumerates_fixed_sites() {
    let expected = "- testdata/demo/include/speedups.h:\n    1 × OV101 (lazy-static-object)\n\
                    - testdata/demo/src/_cache.c:\n    1 × OV101 (lazy-static-object)\n    \
                    1 × OV102 (lazy-static-object-released)\n";
    let out = oncevar()
        .args(["check", "testdata/demo", "--show-fixes"])
        .output()
        .unwrap();
    let stderr = stdio(&out).1;
    assert!(
        stderr.contains(&format!(
            "7 sites with a fix that --fix applies:\n{expected}"
        )),
        "{stderr}"
    );

    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        std::path::Path::new("testdata/demo"),
        &dir.path().join("testdata/demo"),
    );
    // In a copy: --diff, --fix, then nothing left to fix.
    let stderr_of = |mode: &[&str]| {
        let out = oncevar()
            .current_dir(dir.path())
            .args(["check", "testdata/demo", "--show-fixes"])
            .args(mode)
            .output()
            .unwrap();
        stdio(&out).1
    };
    for (mode, heading) in [
        (&["--diff"][..], "the diff fixes 7 sites"),
        (&["--fix"], "fixed 7 sites"),
    ] {
        let stderr = stderr_of(mode);
        assert!(
            stderr.contains(&format!("{heading}:\n{expected}")),
            "{stderr}"
        );
    }
    let stderr = stderr_of(&[]);
    assert!(
        stderr.ends_with("0 sites with a fix that --fix applies:\n"),
        "{stderr}"
    );
}

/// `generate-shell-completion SHELL` prints a script that completes the
/// subcommands and the flags of `check`.
#[test]
fn shell_completions_name_commands_and_flags() {
    for (shell, marker) in [
        ("bash", "_oncevar()"),
        ("zsh", "#compdef oncevar"),
        ("fish", "complete -c oncevar"),
    ] {
        let out = oncevar()
            .args(["generate-shell-completion", shell])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdio(&out).0;
        // fish names a long flag without its dashes (`-l statistics`).
        for word in [marker, "check", "statistics", "exit-zero", "output-format"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    let out = oncevar()
        .args(["generate-shell-completion", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `--help` names every code that `oncevar rule` lists: the list comes
/// from the rules table, so a new code cannot be left out.
#[test]
fn help_lists_every_code() {
    let listed = stdio(&oncevar().arg("rule").output().unwrap()).0;
    let codes: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(codes.contains(&"OV401"), "{listed}");
    let help = stdio(&oncevar().arg("--help").output().unwrap()).0;
    let rule_help = stdio(&oncevar().args(["rule", "--help"]).output().unwrap()).0;
    for code in codes {
        assert!(help.contains(code), "--help leaves out {code}:\n{help}");
        assert!(rule_help.contains(code), "rule --help leaves out {code}");
    }
}

/// `oncevar check -` with `--stdin-filename NAME`: what `args` print and
/// exit with for `text` on standard input, run in `dir`.
fn stdin_run(dir: &std::path::Path, args: &[&str], text: &str) -> (Option<i32>, String, String) {
    let out = oncevar()
        .current_dir(dir)
        .args(["check"])
        .args(args)
        .arg("-")
        .write_stdin(text)
        .output()
        .unwrap();
    let (stdout, stderr) = stdio(&out);
    (out.status.code(), stdout, stderr)
}

/// `oncevar audit -` reads standard input as the file `--stdin-filename`
/// names, as `check -` does (they share their arguments): the module is
/// placed in that file in the human and JSON audits, and `--fix` writes the
/// fixed text (here an init-set static made per interpreter) to standard
/// output and the audit of the fixed text (now ok) to standard error,
/// creating nothing.
#[test]
fn audit_reads_standard_input_as_the_file_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("scripts/e2e/audit/setonce.c").unwrap();
    let audit = |args: &[&str]| {
        let out = oncevar()
            .current_dir(dir.path())
            .args(["audit", "--no-config", "--stdin-filename", "ext/set.c"])
            .args(args)
            .arg("-")
            .write_stdin(text.as_str())
            .output()
            .unwrap();
        let (stdout, stderr) = stdio(&out);
        (out.status.code(), stdout, stderr)
    };
    let (code, stdout, _) = audit(&[]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains("module `setonce` (ext/set.c:47:1)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ext/set.c:9:18: OV301 `sentinel` (fix: safe)"),
        "{stdout}"
    );
    let (_, stdout, _) = audit(&["--output-format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["modules"][0]["path"], "ext/set.c", "{stdout}");
    assert_eq!(
        json["modules"][0]["per_interpreter_gil"]["verdict"],
        "blocked"
    );
    let (code, stdout, stderr) = audit(&["--fix"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("Py_ONCEVAR_DECLARE(PyObject *, sentinel);"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Py_CLEAR(Py_ONCEVAR(sentinel));"),
        "{stdout}"
    );
    assert!(stderr.contains("own GIL per interpreter: ok"), "{stderr}");
    assert!(!dir.path().join("ext").exists(), "nothing is written");
}

/// Standard input is reported against `--stdin-filename` in every format,
/// `--diff` names it in its header, and `--fix` writes the fixed text to
/// standard output (as ruff does) without creating the file, reporting
/// what remains on standard error.
#[test]
fn stdin_is_checked_as_the_file_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let name = ["--no-config", "--stdin-filename", "src/mod.c"];
    for (format, shown) in [
        ("human", "src/mod.c:2:18"),
        ("concise", "src/mod.c:2:18: OV101"),
        ("json", "\"path\": \"src/mod.c\""),
        ("sarif", "\"uri\": \"src/mod.c\""),
        ("github", "file=src/mod.c,line=2"),
    ] {
        let args = [&name[..], &["--output-format", format]].concat();
        let (code, stdout, _) = stdin_run(dir.path(), &args, SITE);
        assert_eq!(code, Some(1), "{format}");
        assert!(stdout.contains(shown), "{format}: {stdout}");
    }
    let (code, stdout, _) = stdin_run(dir.path(), &[&name[..], &["--diff"]].concat(), SITE);
    assert_eq!(code, Some(0));
    assert!(
        stdout.starts_with("--- a/src/mod.c\n+++ b/src/mod.c\n"),
        "{stdout}"
    );
    let (code, stdout, stderr) = stdin_run(dir.path(), &[&name[..], &["--fix"]].concat(), SITE);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("Py_ONCEVAR_DECLARE(PyObject *, cache);"),
        "{stdout}"
    );
    assert!(stdout.contains("return Py_ONCEVAR(cache);"), "{stdout}");
    assert!(stderr.contains("fixed 1 site in 1 file"), "{stderr}");
    assert!(
        stderr.contains("no sites found in 1 file scanned"),
        "{stderr}"
    );
    assert!(!dir.path().join("src").exists(), "nothing is written");
    // Under -s the fixed text is still written: it is data, not a message.
    let out = oncevar()
        .current_dir(dir.path())
        .args(["-s", "check", "--fix"])
        .args(name)
        .arg("-")
        .write_stdin(SITE)
        .output()
        .unwrap();
    assert!(stdio(&out).0.contains("Py_ONCEVAR(cache)"));
    // With nothing to fix, --fix writes the text as it was read; what
    // remains (an unfixable site) is reported on standard error.
    let unfixable = "#include <Python.h>\nstatic PyObject *c;\n\
        static PyObject *f(void) { if (c == NULL) c = g(&c); return c; }\n";
    let (_, stdout, stderr) = stdin_run(dir.path(), &[&name[..], &["--fix"]].concat(), unfixable);
    assert_eq!(stdout, unfixable);
    assert!(stderr.contains("src/mod.c:2"), "{stderr}");
}

/// The configuration found from NAME's folder, `--exclude`, suppressions
/// and the quoted includes beside NAME apply as if the file were there.
#[test]
fn stdin_gets_the_configuration_and_neighbours_of_its_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("proj/gen")).unwrap();
    std::fs::create_dir_all(dir.path().join("proj/lib")).unwrap();
    std::fs::write(
        dir.path().join("proj/oncevar.toml"),
        "exclude = [\"gen/\"]\n[per-path-ignores]\n\"quiet/\" = [\"OV101\"]\n",
    )
    .unwrap();
    let run = |name: &str, extra: &[&str], text: &str| {
        let args = [
            &["--output-format", "concise", "--stdin-filename", name],
            extra,
        ]
        .concat();
        stdin_run(dir.path(), &args, text)
    };
    assert_eq!(run("proj/lib/a.c", &[], SITE).0, Some(1));
    let (code, stdout, stderr) = run("proj/gen/a.c", &[], SITE);
    assert_eq!(
        (code, stdout.as_str()),
        (Some(0), ""),
        "config exclude: {stderr}"
    );
    assert!(stderr.contains("in 0 files scanned"), "{stderr}");
    assert_eq!(
        run("proj/quiet/a.c", &[], SITE).0,
        Some(0),
        "per-path-ignores"
    );
    // `--exclude` skips the text only with `--force-exclude`, as it skips
    // a file named on the command line (ruff's reading); before, it
    // always did.
    let exclude = ["--exclude", "proj/lib/*.c"];
    let named = run("proj/lib/a.c", &exclude, SITE);
    assert_eq!(named.0, Some(1), "named, not excluded: {}", named.2);
    let excluded = run(
        "proj/lib/a.c",
        &[&exclude[..], &["--force-exclude"]].concat(),
        SITE,
    );
    assert_eq!(
        excluded.0,
        Some(0),
        "--exclude with --force-exclude, relative to the current folder"
    );
    // `--fix` then writes the text as it was, so an editor's buffer stays.
    let parroted = run(
        "proj/lib/a.c",
        &[&exclude[..], &["--force-exclude", "--fix"]].concat(),
        SITE,
    );
    assert_eq!(
        (parroted.0, parroted.1.as_str()),
        (Some(0), SITE),
        "{}",
        parroted.2
    );
    let suppressed = SITE.replace(
        "static PyObject *cache",
        "/* oncevar: ignore[OV101] */\nstatic PyObject *cache",
    );
    assert_eq!(
        run("proj/lib/a.c", &[], &suppressed).0,
        Some(0),
        "suppression"
    );
    // A header beside NAME says what `Obj` is: found there, the static is
    // a Python object (OV101); elsewhere, memory of an unknown type
    // (OV201). The report is the one for the file named on the command
    // line.
    std::fs::write(dir.path().join("proj/lib/obj.h"), "typedef PyObject Obj;\n").unwrap();
    let typed = SITE
        .replace(
            "#include <Python.h>\n",
            "#include <Python.h>\n#include \"obj.h\"\n",
        )
        .replace("PyObject", "Obj")
        .replace("Obj_", "PyObject_");
    let found = |name: &str| run(name, &[], &typed).1;
    assert!(found("proj/lib/a.c").starts_with("proj/lib/a.c:3:13: OV101"));
    assert!(found("proj/gen2/a.c").starts_with("proj/gen2/a.c:3:13: OV201"));
    for format in ["concise", "json", "sarif"] {
        let args = [
            "--output-format",
            format,
            "--stdin-filename",
            "proj/lib/a.c",
        ];
        let from_stdin = stdin_run(dir.path(), &args, &typed);
        std::fs::write(dir.path().join("proj/lib/a.c"), &typed).unwrap();
        let on_disk = oncevar()
            .current_dir(dir.path())
            .args(["check", "--output-format", format, "proj/lib/a.c"])
            .output()
            .unwrap();
        std::fs::remove_file(dir.path().join("proj/lib/a.c")).unwrap();
        assert_eq!(from_stdin.0, on_disk.status.code(), "{format}");
        assert_eq!(from_stdin.1, stdio(&on_disk).0, "{format}");
    }
}

/// Standard input gets a file's reading guards: the size limit (reading
/// stops past it) and the binary check, each a warning naming NAME; `--fix`
/// then writes nothing and exits 2. `-` goes alone, and
/// `--stdin-filename` needs it.
#[test]
fn stdin_is_read_with_the_guards_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let name = ["--stdin-filename", "big.c", "--max-file-size", "10"];
    let (code, stdout, stderr) = stdin_run(dir.path(), &name, SITE);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("in 0 files scanned"), "{stdout}");
    assert!(
        stderr.contains("warning: big.c: file is 11 bytes, over the 10-byte limit"),
        "{stderr}"
    );
    let (code, stdout, stderr) = stdin_run(dir.path(), &[&name[..], &["--fix"]].concat(), SITE);
    assert_eq!((code, stdout.as_str()), (Some(2), ""), "{stderr}");
    let binary = "\x7fELF\0\0static PyObject *x;";
    let (code, _, stderr) = stdin_run(dir.path(), &["--stdin-filename", "b.c"], binary);
    assert_eq!(code, Some(0));
    assert!(stderr.contains("warning: b.c: binary file"), "{stderr}");
    let out = oncevar()
        .current_dir(dir.path())
        .args(["check", "-", "."])
        .write_stdin(SITE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stdio(&out)
        .1
        .contains("`-` (standard input) is the only PATH"));
    let out = oncevar()
        .current_dir(dir.path())
        .args(["check", "--stdin-filename", "x.c", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stdio(&out).1.contains("give `-` as the PATH"));
}

/// A tree that takes a debug build some seconds to scan: `files` files of
/// ten sites each.
fn slow_tree(files: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..10)
        .map(|i| {
            SITE.replace("cache", &format!("cache{i}"))
                .replace("get(", &format!("get{i}("))
        })
        .collect();
    for i in 0..files {
        std::fs::write(dir.path().join(format!("m{i}.c")), &text).unwrap();
    }
    dir
}

/// The progress bar: drawn on standard error when it is a terminal (here a
/// pseudo-terminal from util-linux's `script`) and the scan lasts over the
/// delay; never under `CI`, `-q`, `-s`, `TERM=dumb` or when standard error
/// is piped; never for a scan shorter than the delay.
#[test]
fn progress_bar_only_on_a_terminal_for_a_long_scan() {
    let dir = slow_tree(300);
    let bin = assert_cmd::cargo::cargo_bin("oncevar");
    // Standard output to /dev/null; standard error on the pseudo-terminal,
    // which `script` copies to its own standard output.
    let on_terminal = |level: &str, env: &[(&str, &str)]| {
        let command = format!(
            "{} {level} check --output-format concise -j 1 {} > /dev/null",
            bin.display(),
            dir.path().display()
        );
        let out = Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .env_remove("CI")
            .env("TERM", "xterm")
            .envs(env.iter().copied())
            .output()
            .expect("util-linux's script runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = on_terminal("", &[]);
    let took: f64 = shown
        .lines()
        .find_map(|l| l.trim_end().strip_prefix("scanned in "))
        .and_then(|t| t.trim_end_matches('s').parse().ok())
        .unwrap_or_else(|| panic!("a summary: {shown}"));
    let drawn = |shown: &str| shown.contains("analysing [");
    if took >= 3.0 {
        assert!(drawn(&shown), "a {took}s scan draws the bar: {shown}");
        // Cleared (erase line) before the summary is printed.
        let summary = shown.find("found ").unwrap();
        assert!(shown[..summary].ends_with("\r\x1b[2K"), "{shown}");
    } else if took < 1.0 {
        assert!(!drawn(&shown), "a {took}s scan draws no bar: {shown}");
    }
    for (level, env) in [
        ("", &[("CI", "true")][..]),
        ("", &[("TERM", "dumb")][..]),
        ("-q", &[][..]),
        ("-s", &[][..]),
    ] {
        let shown = on_terminal(level, env);
        assert!(!drawn(&shown), "{level} {env:?}: {shown}");
    }
    let out = oncevar()
        .args(["check", "--output-format", "concise", "-j", "1"])
        .arg(dir.path())
        .env_remove("CI")
        .env("TERM", "xterm")
        .output()
        .unwrap();
    assert!(!drawn(&stdio(&out).1), "piped");
}

/// In a file with several modules, a finding contradicts the claims of
/// the module it blocks, not its neighbours': `ncalls` (module cb, which
/// claims nothing) is no error and, in `check`, no finding; `nhits`
/// (module cc, which claims Py_MOD_GIL_NOT_USED) is an error with that
/// claim alone as its related location, not ca's own-GIL claim. Both
/// were errors with both claims before.
#[test]
fn a_finding_contradicts_only_the_claims_of_the_modules_it_blocks() {
    let path = "testdata/audit/claims-by-territory/input.c";
    let findings = |command: &str| -> Vec<(String, String, Vec<String>)> {
        let out = oncevar()
            .args([command, "--output-format", "json", path])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let claims = f["claims"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["kind"].as_str().unwrap().to_owned())
                    .collect();
                (
                    f["variable"].as_str().unwrap().to_owned(),
                    f["severity"].as_str().unwrap().to_owned(),
                    claims,
                )
            })
            .collect()
    };
    let nhits = (
        "nhits".to_owned(),
        "error".to_owned(),
        vec!["gil-not-used".to_owned()],
    );
    assert_eq!(findings("check"), std::slice::from_ref(&nhits));
    assert_eq!(
        findings("audit"),
        [("ncalls".to_owned(), "warning".to_owned(), vec![]), nhits]
    );
}
