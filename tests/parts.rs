//! A part of a translation unit scanned without the file that includes it,
//! and the other way round, through the binary: every folder of
//! `testdata/parts/` is a small project (a `.c` file and the part it
//! includes, in the layouts unity builds use), whose declarators carry
//! their expected code as a `~ CODE name` marker, and whose `runs` file
//! lists scans of some of its files, one a line:
//! `ARGS | name=VERDICT[:text] ; ...`, where VERDICT is the fix's safety
//! (`safe`, `unsafe`, `display-only`) or `none` (no site), and `text` a
//! part of its reason. Each run is checked for the verdicts, the codes of
//! the markers, and, after `--fix` with the same arguments, for every `.c`
//! file that no other file includes still compiling (the fault this
//! guards against: the part rewritten alone, its includer broken).

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn oncevar() -> Command {
    Command::new(env!("CARGO_BIN_EXE_oncevar"))
}

fn files_under(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, base, out);
        } else {
            out.push(path.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

/// The `~ CODE name` markers of a project's files: name -> code.
fn markers(dir: &Path, files: &[PathBuf]) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        for line in text.lines() {
            if let Some(at) = line.find("/* ~ ") {
                let mut words = line[at + 5..].split_whitespace();
                let code = words.next().unwrap().to_owned();
                found.insert(words.next().unwrap().to_owned(), code);
            }
        }
    }
    found
}

fn copy(from: &Path, files: &[PathBuf], to: &Path) {
    for file in files {
        let target = to.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(file), target).unwrap();
    }
    // The project's root, whatever folder the temporary one is in.
    std::fs::write(to.join("oncevar.toml"), "").unwrap();
}

/// Why the `.c` files of `dir` that no other file includes do not compile
/// (empty when they all do).
fn compile_errors(dir: &Path, files: &[PathBuf], python: &[String]) -> Vec<String> {
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).unwrap_or_default())
        .collect();
    // Every folder of the project is an include folder, as a build of a
    // project with `-I` folders has them.
    let mut folders: Vec<String> = files
        .iter()
        .filter_map(|f| f.parent())
        .map(|d| format!("-I./{}", d.display()))
        .collect();
    folders.sort();
    folders.dedup();
    let mut errors = Vec::new();
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "c"))
    {
        let name = file.file_name().unwrap().to_str().unwrap();
        if texts
            .iter()
            .any(|t| t.contains(&format!("#include \"{name}\"")))
        {
            continue;
        }
        let out = Command::new("cc")
            .current_dir(dir)
            .args(["-fsyntax-only", "-std=c11", "-I."])
            .args(&folders)
            .args(python)
            .arg(file)
            .output()
            .unwrap();
        if !out.status.success() {
            errors.push(format!(
                "{}: {}",
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    errors
}

#[test]
fn parts_scanned_without_their_includers_and_includers_without_their_parts() {
    let python = support::python_includes();
    let mut failures = Vec::new();
    let mut runs = 0;
    let mut cases: Vec<PathBuf> = std::fs::read_dir("testdata/parts")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    for case in cases {
        let mut files = Vec::new();
        files_under(&case, &case, &mut files);
        files.retain(|f| f != Path::new("runs"));
        files.sort();
        let codes = markers(&case, &files);
        let plan = std::fs::read_to_string(case.join("runs")).unwrap();
        for line in plan
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            runs += 1;
            let (args, expected) = line.split_once(" | ").unwrap();
            let args: Vec<&str> = args.split_whitespace().collect();
            let what = format!("{} `check {}`", case.display(), args.join(" "));
            let dir = tempfile::tempdir().unwrap();
            copy(&case, &files, dir.path());
            let out = oncevar()
                .current_dir(dir.path())
                .args(["check", "--output-format", "json"])
                .args(&args)
                .output()
                .unwrap();
            let report: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{what}: no JSON ({e}): {out:?}"));
            let findings = report["findings"].as_array().unwrap();
            for expectation in expected.split(" ; ") {
                let (variable, verdict) = expectation.split_once('=').unwrap();
                let (verdict, text) = verdict.split_once(':').unwrap_or((verdict, ""));
                let of: Vec<&serde_json::Value> = findings
                    .iter()
                    .filter(|f| f["variable"] == variable)
                    .collect();
                if verdict == "none" {
                    if !of.is_empty() {
                        failures.push(format!("{what}: {variable}: expected no site: {of:?}"));
                    }
                    continue;
                }
                let [finding] = of[..] else {
                    failures.push(format!("{what}: {variable}: expected one site, got {of:?}"));
                    continue;
                };
                if finding["code"] != codes[variable].as_str() {
                    failures.push(format!(
                        "{what}: {variable}: expected {}, got {}",
                        codes[variable], finding["code"]
                    ));
                }
                let safety = &finding["fix"]["safety"];
                let reason = finding["fix"]["reason"].as_str().unwrap_or_default();
                if safety != verdict || !reason.contains(text) {
                    failures.push(format!(
                        "{what}: {variable}: expected {verdict} ({text:?}), got {safety} ({reason:?})"
                    ));
                }
            }
            let fixed = oncevar()
                .current_dir(dir.path())
                .args(["check", "--fix"])
                .args(&args)
                .output()
                .unwrap();
            assert!(fixed.status.code().unwrap() < 2, "{what}: --fix: {fixed:?}");
            let runtime = oncevar()
                .current_dir(dir.path())
                .args(["runtime", "--write", "."])
                .output()
                .unwrap();
            assert!(runtime.status.success(), "{what}: {runtime:?}");
            for error in compile_errors(dir.path(), &files, &python) {
                failures.push(format!("{what}: after --fix, {error}"));
            }
        }
    }
    assert!(runs > 20, "only {runs} runs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The verdict and reason of the one site of `variable` in a JSON report
/// of `check ARGS`, run in `dir`.
fn verdict(dir: &Path, args: &[&str], variable: &str) -> (String, String) {
    let out = oncevar()
        .current_dir(dir)
        .args(["check", "--output-format", "json"])
        .args(args)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("`check {args:?}`: no JSON ({e}): {out:?}"));
    let findings: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["variable"] == variable)
        .collect();
    let [finding] = findings[..] else {
        panic!("`check {args:?}`: {variable}: expected one site, got {findings:?}");
    };
    (
        finding["fix"]["safety"].as_str().unwrap().to_owned(),
        finding["fix"]["reason"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

const PART: &str = "/* A part: no include of its own. */\n\
                    static PyObject *dumps_name = NULL;\n\
                    static PyObject *get_dumps_name(void) {\n\
                    \x20   if (dumps_name == NULL) {\n\
                    \x20       dumps_name = PyUnicode_InternFromString(\"dumps\");\n\
                    \x20   }\n\
                    \x20   return dumps_name;\n\
                    }\n";

fn includer(include: &str) -> String {
    format!(
        "#include <Python.h>\n#include \"{include}\"\n\
         static int mod_clear(PyObject *m) {{ Py_CLEAR(dumps_name); return 0; }}\n"
    )
}

/// A part reached through a symbolic link: included by the link's name
/// (the part scanned by its own name, or by the link's), and a link that
/// leads out of the root, which the search never follows: a file outside
/// the root that includes the part is not read.
#[cfg(unix)]
#[test]
fn a_part_included_through_a_symbolic_link() {
    let top = tempfile::tempdir().unwrap();
    let root = top.path().join("root");
    let outside = top.path().join("outside");
    std::fs::create_dir_all(root.join("real")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(root.join("oncevar.toml"), "").unwrap();
    std::fs::write(root.join("real/part_impl.h"), PART).unwrap();
    std::os::unix::fs::symlink("real/part_impl.h", root.join("p.h")).unwrap();
    std::fs::write(root.join("main.c"), includer("p.h")).unwrap();
    for scanned in ["real/part_impl.h", "p.h"] {
        let (safety, reason) = verdict(&root, &[scanned], "dumps_name");
        assert_eq!(safety, "display-only", "{scanned}: {reason}");
        assert!(
            reason.contains("`main.c`, which includes"),
            "{scanned}: {reason}"
        );
    }
    // Outside the root, reached from it only through links: not read.
    std::fs::remove_file(root.join("main.c")).unwrap();
    std::fs::write(outside.join("evil.c"), includer("../root/real/part_impl.h")).unwrap();
    std::os::unix::fs::symlink(outside.join("evil.c"), root.join("evil.c")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("ext")).unwrap();
    let (safety, reason) = verdict(&root, &["real/part_impl.h"], "dumps_name");
    assert_eq!(safety, "unsafe", "{reason}");
    assert!(
        reason.contains("no file that includes it was found"),
        "{reason}"
    );
    assert!(!reason.contains("evil"), "{reason}");
}

/// The same pairs with CRLF line ends: the search reads the names of
/// includes and defines up to a `\r`.
#[test]
fn parts_with_crlf_line_ends_are_found_from_their_includers() {
    for main in [
        includer("part.h"),
        includer("part.h").replace(
            "#include \"part.h\"",
            "#define PART_H \"part.h\"\n#include PART_H",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("oncevar.toml"), "").unwrap();
        std::fs::write(dir.path().join("part.h"), PART.replace('\n', "\r\n")).unwrap();
        std::fs::write(dir.path().join("main.c"), main.replace('\n', "\r\n")).unwrap();
        let (safety, reason) = verdict(dir.path(), &["part.h"], "dumps_name");
        assert_eq!(safety, "display-only", "{main}: {reason}");
        assert!(
            reason.contains("`main.c`, which includes"),
            "{main}: {reason}"
        );
    }
}

/// A root of 100,000 empty files and a part scanned alone: the search
/// reads none of them (an empty file includes nothing) and still finds the
/// includer, within a bound of time.
#[cfg(unix)]
#[test]
fn a_root_of_a_hundred_thousand_empty_files_costs_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("oncevar.toml"), "").unwrap();
    for folder in 0..10 {
        let sub = dir.path().join(format!("d{folder}"));
        std::fs::create_dir(&sub).unwrap();
        for i in 0..10_000 {
            std::fs::File::create(sub.join(format!("e{i}.c"))).unwrap();
        }
    }
    std::fs::write(dir.path().join("part.h"), PART).unwrap();
    std::fs::write(dir.path().join("d9/main.c"), includer("../part.h")).unwrap();
    let started = std::time::Instant::now();
    let (safety, reason) = verdict(dir.path(), &["part.h"], "dumps_name");
    let took = started.elapsed();
    assert_eq!(safety, "display-only", "{reason}");
    assert!(reason.contains("`d9/main.c`, which includes"), "{reason}");
    assert!(took.as_secs() < 20, "took {took:?}");
}
