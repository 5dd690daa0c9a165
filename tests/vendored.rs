//! Vendored third-party code (issue 22), through the binary, on
//! `testdata/vendored`: a project that bundles a library under `vendor/`,
//! zstd's sources and ujson's C++ headers under `deps/`, SQLite under
//! `third_party/`, CPython's libmpdec and two copies of
//! `pythoncapi_compat.h` (one under a vendored `thirdparty/`, as pillow
//! keeps it), plus C++ sources beside its C. Each file marks its sites
//! `~ CODE name`, and those of vendored files `~ vendored CODE name`: by
//! default only the project's are reported (the compat headers are the
//! project's: they are compiled into its modules), the vendored files'
//! parse errors are not counted, one summary line says how many files
//! were skipped, and the vendored headers are still read where the
//! project includes them (so the audit, which judges the module as
//! compiled, still counts their statics). A vendored file named on the
//! command line is scanned, unless `--force-exclude`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn oncevar() -> Command {
    Command::new(env!("CARGO_BIN_EXE_oncevar"))
}

/// A copy of `testdata/vendored` (so a test may add `oncevar.toml`).
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("cp")
        .args(["-R", "testdata/vendored"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let root = dir.path().join("vendored");
    (dir, root)
}

/// The project's files, relative to `root`, sorted.
fn files(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    found
}

/// The (path, code, variable) of every marker in the project's C files
/// (`.c`, `.h`): `~ CODE name` when `vendored` is false, also
/// `~ vendored CODE name` when true.
fn marked(root: &Path, vendored: bool) -> BTreeSet<(String, String, String)> {
    let mut found = BTreeSet::new();
    for path in files(root) {
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("c" | "h")) {
            continue;
        }
        let text = std::fs::read_to_string(root.join(&path)).unwrap();
        for line in text.lines() {
            let Some(at) = line.find("/*~ ") else {
                continue;
            };
            let words: Vec<&str> = line[at + 4..].split_whitespace().collect();
            let (is_vendored, code, name) = match words.as_slice() {
                ["vendored", code, name, ..] => (true, code, name),
                [code, name, ..] => (false, code, name),
                _ => panic!("bad marker in {}: {line}", path.display()),
            };
            if vendored || !is_vendored {
                let shown = path.to_str().unwrap().to_owned();
                found.insert((shown, code.to_string(), name.to_string()));
            }
        }
    }
    found
}

/// Runs `oncevar ARGS` in `root`.
fn run(root: &Path, args: &[&str]) -> std::process::Output {
    oncevar().current_dir(root).args(args).output().unwrap()
}

/// Runs `oncevar check --output-format json ARGS .` in `root`: the
/// report and standard error.
fn check(root: &Path, args: &[&str]) -> (serde_json::Value, String) {
    let args = [&["check", "--output-format", "json"][..], args, &["."]].concat();
    let out = run(root, &args);
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    let report = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    (report, String::from_utf8(out.stderr).unwrap())
}

fn reported(report: &serde_json::Value) -> BTreeSet<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["code"].as_str().unwrap().to_owned(),
                f["variable"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn parse_error_paths(report: &serde_json::Value) -> Vec<&str> {
    report["parse_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect()
}

#[test]
fn vendored_code_is_skipped_but_read_where_the_project_includes_it() {
    let (_dir, root) = project();
    let (report, stderr) = check(&root, &[]);
    assert_eq!(reported(&report), marked(&root, false), "{stderr}");
    // The vendored header proves what the project's unit calls returns.
    let name = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["variable"] == "name")
        .unwrap();
    assert_eq!(name["fix"]["safety"], "safe", "{name}");
    // Only the project's own broken file counts.
    assert_eq!(parse_error_paths(&report), ["gen/tables.c"]);
    let summary = &report["summary"];
    assert_eq!(summary["files_with_parse_errors"], 1);
    // module.c, nogil.c, vendor.c, both pythoncapi_compat.h, gen/tables.c;
    // minilib.h, minilib.c, pool.c, bignum.h, sqlite3.c, mpdecimal.c
    // skipped.
    assert_eq!(summary["files_scanned"], 6);
    assert_eq!(summary["vendored_files_skipped"], 6);
    assert!(
        stderr.contains("; 6 vendored files skipped (--include-vendored to scan them)"),
        "{stderr}"
    );
    // The compat header under thirdparty/ is the free-threaded module's
    // race.
    assert!(
        reported(&report).contains(&(
            "src/thirdparty/pythoncapi_compat.h".to_owned(),
            "OV401".to_owned(),
            "perf_counter".to_owned()
        )),
        "{stderr}"
    );
    // Nothing of the C++ sources, walked.
    assert!(!stderr.contains("wrapper"), "{stderr}");
}

#[test]
fn include_vendored_scans_them_as_the_projects() {
    let (_dir, root) = project();
    let (report, stderr) = check(&root, &["--include-vendored"]);
    assert_eq!(reported(&report), marked(&root, true), "{stderr}");
    assert_eq!(
        parse_error_paths(&report),
        [
            "Modules/_decimal/libmpdec/mpdecimal.c",
            "deps/double-conversion/bignum.h",
            "deps/zstd/lib/common/pool.c",
            "gen/tables.c",
            "third_party/sqlite/sqlite3.c",
            "vendor/minilib/minilib.c",
        ]
    );
    assert!(report["summary"].get("vendored_files_skipped").is_none());
    assert!(!stderr.contains("vendored"), "{stderr}");
}

#[test]
fn the_configuration_replaces_or_extends_the_vendored_globs() {
    let (_dir, root) = project();
    // extend-vendored adds to the defaults.
    std::fs::write(root.join("oncevar.toml"), "extend-vendored = [\"gen/\"]\n").unwrap();
    let (report, stderr) = check(&root, &[]);
    let mut expected = marked(&root, false);
    expected.retain(|(path, _, _)| !path.starts_with("gen/"));
    assert_eq!(reported(&report), expected, "{stderr}");
    assert!(parse_error_paths(&report).is_empty());
    assert_eq!(report["summary"]["vendored_files_skipped"], 7);
    // vendored replaces them: only gen/ is vendored now.
    std::fs::write(root.join("oncevar.toml"), "vendored = [\"gen/\"]\n").unwrap();
    let (report, stderr) = check(&root, &[]);
    let mut expected = marked(&root, true);
    expected.retain(|(path, _, _)| !path.starts_with("gen/"));
    assert_eq!(reported(&report), expected, "{stderr}");
    assert_eq!(report["summary"]["vendored_files_skipped"], 1);
    // An empty list vendors nothing; --show-config shows the effective list.
    std::fs::write(root.join("oncevar.toml"), "vendored = []\n").unwrap();
    let (report, _) = check(&root, &[]);
    assert_eq!(reported(&report), marked(&root, true));
    std::fs::remove_file(root.join("oncevar.toml")).unwrap();
    let out = run(&root, &["check", "--show-config", "."]);
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(
        shown.contains("vendored = [\"vendor/\", \"vendors/\""),
        "{shown}"
    );
    // A project may vendor the compat header again: the last glob that
    // matches decides, so both copies go.
    std::fs::write(
        root.join("oncevar.toml"),
        "extend-vendored = [\"pythoncapi_compat.h\"]\n",
    )
    .unwrap();
    let (report, stderr) = check(&root, &[]);
    let mut expected = marked(&root, false);
    expected.retain(|(path, _, _)| !path.ends_with("pythoncapi_compat.h"));
    assert_eq!(reported(&report), expected, "{stderr}");
    assert_eq!(report["summary"]["vendored_files_skipped"], 8);
    // A bad glob is an error naming the key.
    std::fs::write(root.join("oncevar.toml"), "extend-vendored = [\"a/{b\"]\n").unwrap();
    let out = run(&root, &["check", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("key `extend-vendored`: invalid glob"),
        "{stderr}"
    );
}

/// The variables reported by `oncevar check --output-format json ARGS` in
/// `root`, in the report's order, and its summary.
fn variables_and_summary(root: &Path, args: &[&str]) -> (Vec<String>, serde_json::Value) {
    let args = [&["check", "--output-format", "json"][..], args].concat();
    let out = run(root, &args);
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let variables = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["variable"].as_str().unwrap().to_owned())
        .collect();
    (variables, report["summary"].clone())
}

#[test]
fn a_vendored_file_named_on_the_command_line_is_scanned_unless_force_exclude() {
    let (_dir, root) = project();
    // Named, the vendored file is asked for (as ruff without
    // --force-exclude); so is the C++ file, which a walk never takes.
    let named = ["vendor/minilib/minilib.c", "src/wrapper.cc"];
    let (variables, summary) = variables_and_summary(&root, &named);
    assert_eq!(variables, ["cxx_cc", "lib_state"]);
    assert_eq!(summary["files_scanned"], 2);
    assert_eq!(summary["files_with_parse_errors"], 1);
    assert!(summary.get("vendored_files_skipped").is_none(), "{summary}");
    // Spelled another way, or named beside the folder that holds it: the
    // one named is scanned, the others the walk finds are skipped.
    let (variables, _) = variables_and_summary(&root, &["./vendor/../vendor/minilib/minilib.c"]);
    assert_eq!(variables, ["lib_state"]);
    let (variables, summary) =
        variables_and_summary(&root, &["vendor", "vendor/minilib/minilib.c"]);
    assert_eq!(variables, ["lib_state"]);
    assert_eq!(summary["vendored_files_skipped"], 1, "{summary}");
    // --force-exclude skips it as a walk would; --exclude then applies to
    // named files too.
    let forced = [&["--force-exclude"][..], &named].concat();
    let (variables, summary) = variables_and_summary(&root, &forced);
    assert_eq!(variables, ["cxx_cc"]);
    assert_eq!(summary["vendored_files_skipped"], 1);
    assert_eq!(summary["files_scanned"], 1);
    let excluded = ["--force-exclude", "--exclude", "*.cc", "src/wrapper.cc"];
    let (variables, summary) = variables_and_summary(&root, &excluded);
    assert!(variables.is_empty(), "{variables:?}");
    assert_eq!(summary["files_scanned"], 0);
    let (variables, _) = variables_and_summary(&root, &excluded[1..]);
    assert_eq!(variables, ["cxx_cc"]);
    // Standard input under a vendored name is named too.
    let text = std::fs::read(root.join("vendor/minilib/minilib.c")).unwrap();
    let mut child = oncevar()
        .current_dir(&root)
        .args(["check", "--output-format", "json", "--stdin-filename"])
        .args(["vendor/minilib/minilib.c", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &text).unwrap();
    let out = child.wait_with_output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["variable"], "lib_state", "{report}");
}

#[test]
fn the_audit_still_counts_what_a_vendored_header_compiles_into_the_module() {
    let (_dir, root) = project();
    let out = run(&root, &["audit", "--output-format", "json", "src/module.c"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let blockers: BTreeSet<(&str, &str)> = report["modules"][0]["per_interpreter_gil"]["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["variable"].as_str().unwrap(), b["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        blockers,
        BTreeSet::from([
            ("compat_cache", "src/pythoncapi_compat.h"),
            ("minilib_cache", "vendor/minilib/minilib.h"),
            ("name", "src/module.c"),
        ])
    );
}
