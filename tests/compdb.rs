//! `compile_commands.json`: flags read per unit, and fixes verified with
//! the unit's own compiler command (`cc` and `python3-config` are needed,
//! as for the runtime's C tests).

mod support;
use support::python_includes;

use std::path::{Path, PathBuf};

use assert_cmd::Command as Cmd;
use predicates::prelude::*;

fn oncevar() -> Cmd {
    Cmd::cargo_bin("oncevar").unwrap()
}

/// A copy of `testdata/compdb/project` with its database written for this
/// machine's Python headers and the copy's own folder.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_tree(Path::new("testdata/compdb/project"), &root);
    let template = std::fs::read_to_string(root.join("compile_commands.json.in")).unwrap();
    let py = python_includes();
    let args: Vec<String> = py.iter().map(|a| format!("{a:?}")).collect();
    let db = template
        .replace("@ROOT@", &root.display().to_string())
        .replace("@PYTHON_ARGS@", &args.join(", "))
        .replace("@PYTHON@", &py.join(" "));
    std::fs::write(root.join("compile_commands.json"), db).unwrap();
    (dir, root)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn findings(root: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    findings_and_stderr(root, args).0
}

fn fix_of<'a>(findings: &'a [serde_json::Value], variable: &str) -> &'a serde_json::Value {
    &findings
        .iter()
        .find(|f| f["variable"] == variable)
        .unwrap_or_else(|| panic!("no finding for {variable}"))["fix"]
}

#[test]
fn the_database_is_found_under_the_root_and_its_flags_decide_the_limited_api() {
    let (_dir, root) = project();
    // Without a database the text decides: nothing says Py_LIMITED_API.
    std::fs::rename(
        root.join("compile_commands.json"),
        root.join("elsewhere.json"),
    )
    .unwrap();
    let plain = findings(&root, &[]);
    assert_eq!(fix_of(&plain, "empty_tuple")["safety"], "safe");
    assert_eq!(
        fix_of(&plain, "empty_tuple")["verified"],
        serde_json::Value::Null
    );
    // Named on the command line, or found as build/compile_commands.json.
    let named = findings(&root, &["--compile-commands", "elsewhere.json"]);
    std::fs::create_dir(root.join("build")).unwrap();
    std::fs::rename(
        root.join("elsewhere.json"),
        root.join("build/compile_commands.json"),
    )
    .unwrap();
    let found = findings(&root, &[]);
    assert_eq!(named, found);
    let limited = fix_of(&found, "empty_tuple");
    assert_eq!(limited["safety"], "unsafe");
    assert!(
        limited["reason"]
            .as_str()
            .unwrap()
            .contains("compilation database defines Py_LIMITED_API (=0x03080000)"),
        "{limited}"
    );
    assert_eq!(fix_of(&found, "greeting")["safety"], "safe");
    oncevar()
        .current_dir(&root)
        .args(["check", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "build/compile_commands.json (4 units; not given, so read for its flags only",
        ));
}

#[test]
fn verify_marks_fixes_that_compile_and_refuses_one_that_breaks_its_unit() {
    let (_dir, root) = project();
    let verified = findings(&root, &["--verify", "--trust-compile-commands"]);
    // greeting.h is found only through the unit's -Iinclude.
    assert_eq!(fix_of(&verified, "greeting")["verified"], true);
    // A strict build (-Wpedantic -Wcast-qual -Wredundant-decls ... -Werror)
    // accepts the runtime header.
    assert_eq!(fix_of(&verified, "colon")["verified"], true);
    assert_eq!(fix_of(&verified, "separator")["verified"], false);
    assert_eq!(
        fix_of(&verified, "empty_tuple")["verified"],
        serde_json::Value::Null
    );

    let strict = root.join("src/strict.c");
    let before = std::fs::read(&strict).unwrap();
    oncevar()
        .current_dir(&root)
        .args([
            "check",
            "--trust-compile-commands",
            "--fix",
            "--write-runtime",
            "src",
            ".",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("src/strict.c: fix refused")
                .and(predicate::str::contains("Py_ONCEVAR_VERSION"))
                .and(predicate::str::contains("redefined"))
                .and(predicate::str::contains("verified 2 fixed files")),
        );
    assert_eq!(std::fs::read(&strict).unwrap(), before, "byte-identical");
    assert!(std::fs::read_to_string(root.join("src/greeting.c"))
        .unwrap()
        .contains("Py_ONCEVAR(greeting)"));
    assert!(std::fs::read_to_string(root.join("src/pedantic.c"))
        .unwrap()
        .contains("Py_ONCEVAR(colon)"));
    // Nothing of the compiler's was left behind.
    let mut left: Vec<String> = std::fs::read_dir(root.join("src"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "greeting.c",
            "limited.c",
            "oncevar.h",
            "pedantic.c",
            "strict.c"
        ],
        "no temporary copy, object or dependency file"
    );
}

#[test]
fn diff_verify_leaves_a_refused_fix_out_of_the_patch() {
    let (_dir, root) = project();
    let out = oncevar()
        .current_dir(&root)
        .args([
            "check",
            "--trust-compile-commands",
            "--diff",
            "--verify",
            ".",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let patch = String::from_utf8(out.stdout).unwrap();
    assert!(patch.contains("+++ b/src/greeting.c"), "{patch}");
    assert!(!patch.contains("strict.c"), "{patch}");
}

/// Writes `text` to `dir/name`, then runs `oncevar check .` in `dir`.
fn check_after_writing(dir: &Path, name: &str, text: &str) -> assert_cmd::assert::Assert {
    std::fs::write(dir.join(name), text).unwrap();
    oncevar().current_dir(dir).args(["check", "."]).assert()
}

#[test]
fn a_bad_database_names_the_file_and_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.c"), "static int x;\n").unwrap();
    check_after_writing(
        dir.path(),
        "compile_commands.json",
        r#"[{"directory": ".", "file": "m.c", "command": "cc -c m.c"},
            {"directory": ".", "file": "n.c", "arguments": "cc n.c"}]"#,
    )
    .code(2)
    .stderr(predicate::str::contains(
        "compile_commands.json: entry 1 (n.c)",
    ));
    check_after_writing(
        dir.path(),
        "compile_commands.json",
        r#"[{"directory": ".", "file": "m.c", "command": "cc -c m.c"},
            {"directory": ".", "file": "gone.c", "command": "cc -c gone.c"}]"#,
    )
    .code(0)
    .stderr(
        predicate::str::contains("entry 1:").and(predicate::str::contains("gone.c does not exist")),
    );
    check_after_writing(
        dir.path(),
        "oncevar.toml",
        "compile-commands = \"no/such.json\"\n",
    )
    .code(2)
    .stderr(predicate::str::contains("no/such.json"));
}

#[test]
fn a_missing_compiler_is_a_clear_error_and_the_file_is_kept() {
    let (_dir, root) = project();
    let db = std::fs::read_to_string(root.join("compile_commands.json")).unwrap();
    std::fs::write(
        root.join("compile_commands.json"),
        db.replace("\"cc -c", "\"no-such-compiler-oncevar -c"),
    )
    .unwrap();
    let greeting = std::fs::read(root.join("src/greeting.c")).unwrap();
    oncevar()
        .current_dir(&root)
        .args(["check", "--trust-compile-commands", "--fix", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the compiler `no-such-compiler-oncevar` of the compilation database is not installed",
        ));
    assert_eq!(
        std::fs::read(root.join("src/greeting.c")).unwrap(),
        greeting
    );
}

#[test]
fn a_header_found_only_through_the_databases_include_folder_joins_the_unit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("include")).unwrap();
    // The static is declared in a header that only `-Iinclude` finds, and
    // set lazily in the .c file that includes it.
    std::fs::write(
        root.join("include/state.h"),
        "static PyObject *shared_name = NULL;\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/user.c"),
        "#include <Python.h>\n#include \"state.h\"\n\
         static PyObject *name(void) {\n    if (shared_name == NULL) {\n        \
         shared_name = PyUnicode_FromString(\"n\");\n    }\n    return shared_name;\n}\n",
    )
    .unwrap();
    let variables = |args: &[&str]| -> Vec<String> {
        findings(root, args)
            .iter()
            .map(|f| f["variable"].as_str().unwrap().to_owned())
            .collect()
    };
    // Without the database "state.h" is on no include path, but it names
    // one scanned file: taken to be that one, with a note.
    let found = findings(root, &[]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["variable"], "shared_name");
    let notes = found[0]["fix"]["reasons"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|r| r["kind"] == "include"
                && r["message"].as_str().unwrap().contains("taken to be")),
        "{notes:?}"
    );
    std::fs::write(
        root.join("compile_commands.json"),
        r#"[{"directory": ".", "file": "src/user.c", "command": "cc -c -Iinclude src/user.c"}]"#,
    )
    .unwrap();
    assert_eq!(variables(&[]), ["shared_name"]);
}

/// A copy of `testdata/compdb` (the fixtures' databases are relative: no
/// paths of this machine) and the path of its folder NAME, with that
/// database's commands rewritten by `edit`.
fn fixture(name: &str, edit: impl Fn(&str) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(Path::new("testdata/compdb"), &dir.path().join("compdb"));
    let root = dir.path().join("compdb").join(name);
    let db = root.join("compile_commands.json");
    let text = match std::fs::read_to_string(root.join("compile_commands.json.in")) {
        // A database that compiles: written for this machine's Python.
        Ok(template) => {
            let py = python_includes();
            template
                .replace("@ROOT@", &root.display().to_string())
                .replace("@PYTHON@", &py.join(" "))
        }
        Err(_) => std::fs::read_to_string(&db).unwrap(),
    };
    std::fs::write(&db, edit(&text)).unwrap();
    (dir, root)
}

fn variables(findings: &[serde_json::Value]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f["variable"].as_str().unwrap())
        .collect()
}

/// The safe fix of `variable` and its notes' messages.
fn safe_fix_notes<'a>(found: &'a [serde_json::Value], variable: &str) -> Vec<&'a str> {
    let fix = fix_of(found, variable);
    assert_eq!(fix["safety"], "safe", "{variable}: {fix}");
    fix["reasons"]
        .as_array()
        .map(|r| r.iter().map(|r| r["message"].as_str().unwrap()).collect())
        .unwrap_or_default()
}

#[test]
fn a_branch_another_build_compiles_holds_sites_as_without_a_database() {
    let (_dir, root) = fixture("branches", str::to_owned);
    let found = findings(&root, &[]);
    // off_cache (-DWITH_CACHE) and old_name (patchlevel.h says 3.12) are
    // in branches this build does not compile, but another build does:
    // they are sites, as without a database (before: gone, silently).
    // HAVE_FEATURE(3) cannot be evaluated, so maybe_a and maybe_b both stay.
    let all = [
        "clock_fn",
        "debug_table",
        "live_cache",
        "maybe_a",
        "maybe_b",
        "new_name",
        "off_cache",
        "old_name",
        "tag",
    ];
    assert_eq!(variables(&found), all);
    assert_eq!(safe_fix_notes(&found, "live_cache"), Vec::<&str>::new());
    // A parameter of a macro in a dead branch is not the variable.
    assert_eq!(fix_of(&found, "clock_fn")["safety"], "safe");
    // Each says which branch this build does not compile; `tag`'s fix
    // rewrites its use there too (before: unsafe, "named in a branch that
    // this unit's build does not compile").
    for (variable, line, directive) in [
        ("off_cache", 19, "`#else` (line 16)"),
        ("old_name", 42, "`#else` (line 40)"),
        ("tag", 100, "`#else` (line 99)"),
    ] {
        assert_eq!(
            safe_fix_notes(&found, variable),
            [format!(
                "line {line} is under {directive}, which the build of `src/branches.c` does not \
                 compile (another build may): the fix is verified only if a build compiles it"
            )],
            "{variable}"
        );
    }
    // The same whatever the thread count and with the prefilter off.
    for args in [&["--jobs", "1"][..], &["--jobs", "2"], &["--no-prefilter"]] {
        assert_eq!(findings(&root, args), found, "{args:?}");
    }
    let out = oncevar()
        .current_dir(&root)
        .args(["check", "--diff", "."])
        .output()
        .unwrap();
    let patch = String::from_utf8(out.stdout).unwrap();
    for variable in ["new_name", "off_cache", "old_name"] {
        assert!(
            patch.contains(&format!("+Py_ONCEVAR_DECLARE(PyObject *, {variable});")),
            "{variable}: {patch}"
        );
    }
    assert!(
        patch.contains("+        Py_ONCEVAR(tag) = PyUnicode_FromString(\"older\");"),
        "{patch}"
    );
    // `#if 0`, which no build compiles, stays out.
    assert!(!patch.contains("Py_XDECREF(Py_ONCEVAR"), "{patch}");

    // Without the database, every branch is read, as with it.
    std::fs::remove_file(root.join("compile_commands.json")).unwrap();
    let plain = findings(&root, &[]);
    assert_eq!(variables(&plain), all);
    assert_eq!(fix_of(&plain, "tag")["safety"], "safe");
    assert_eq!(fix_of(&plain, "clock_fn")["safety"], "safe");
}

/// The variables whose safe fix edits a line in a branch that this
/// unit's build does not compile (another build may), as its notes say.
fn not_compiled_here(found: &[serde_json::Value]) -> Vec<&str> {
    found
        .iter()
        .filter(|f| {
            f["fix"]["reasons"].as_array().is_some_and(|r| {
                r.iter().any(|r| {
                    r["message"]
                        .as_str()
                        .unwrap()
                        .contains("does not compile (another build may)")
                })
            })
        })
        .map(|f| f["variable"].as_str().unwrap())
        .collect()
}

#[test]
fn the_last_define_or_undefine_wins_and_without_python_headers_the_version_is_unknown() {
    let (_dir, root) = fixture("branches", str::to_owned);
    assert_eq!(
        not_compiled_here(&findings(&root, &[])),
        ["off_cache", "old_name", "tag"]
    );
    // Without -UNDEBUG, NDEBUG stays defined: debug_table is switched off.
    let (_dir, root) = fixture("branches", |db| db.replace(" -UNDEBUG", ""));
    assert!(not_compiled_here(&findings(&root, &[])).contains(&"debug_table"));
    // Without -DWITH_CACHE the #else branch is the live one.
    let (_dir, root) = fixture("branches", |db| {
        db.replace(" -DWITH_CACHE", " -UWITH_CACHE")
    });
    let off = not_compiled_here(&findings(&root, &[])).join(" ");
    assert!(
        off.contains("live_cache") && !off.contains("off_cache"),
        "{off}"
    );
    // No patchlevel.h on the path: PY_VERSION_HEX is not known, both
    // version branches are undecided, not switched off.
    let (_dir, root) = fixture("branches", |db| db.replace(" -Ipython312", ""));
    let off = not_compiled_here(&findings(&root, &[])).join(" ");
    assert!(
        !off.contains("new_name") && !off.contains("old_name"),
        "{off}"
    );
    // Below 3.12 (a patchlevel.h that says 3.11 would do the same): the
    // #else branch is live. -DPY_VERSION_HEX is beaten by the header.
    let (_dir, root) = fixture("branches", |db| {
        db.replace(" -Ipython312", " -Ipython312 -DPY_VERSION_HEX=0x030B0000")
    });
    let off = not_compiled_here(&findings(&root, &[])).join(" ");
    assert!(
        !off.contains("new_name") && off.contains("old_name"),
        "{off}"
    );
}

#[test]
fn py_gil_disabled_is_read_from_pyconfig_h_or_the_flags_and_shown() {
    let (_dir, root) = fixture("freethreaded", str::to_owned);
    let found = findings(&root, &[]);
    // pyconfig.h defines Py_GIL_DISABLED: the #ifdef branch is live, the
    // #else one is not (a site all the same: another build compiles it).
    let all = ["gil_cache", "nogil_cache", "plain_cache"];
    assert_eq!(variables(&found), all);
    assert_eq!(not_compiled_here(&found), ["gil_cache"]);
    let site = |found: &[serde_json::Value], variable: &str| {
        found
            .iter()
            .find(|f| f["variable"] == variable)
            .unwrap()
            .clone()
    };
    let ft = &site(&found, "nogil_cache")["free_threaded"];
    assert_eq!(ft["value"], true, "{ft}");
    let evidence = ft["evidence"].as_str().unwrap();
    assert!(
        evidence.starts_with("Py_GIL_DISABLED is defined in ")
            && evidence.ends_with("branches/python313t/pyconfig.h:4"),
        "{evidence}"
    );
    assert!(
        ft["note"]
            .as_str()
            .unwrap()
            .contains("a data race on this build"),
        "{ft}"
    );
    let plain = &site(&found, "plain_cache")["free_threaded"];
    assert!(
        plain["note"]
            .as_str()
            .unwrap()
            .contains("turns the GIL back on"),
        "{plain}"
    );
    let human = oncevar()
        .current_dir(&root)
        .args(["check", "--color", "never", "."])
        .output()
        .unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        human.contains("= note: this unit's build is free-threaded (Py_GIL_DISABLED is defined in"),
        "{human}"
    );

    let sarif = oncevar()
        .current_dir(&root)
        .args(["check", "--output-format", "sarif", "."])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["properties"]["freeThreaded"], true, "{result}");
    assert!(result["properties"]["freeThreadedNote"]
        .as_str()
        .unwrap()
        .contains("a data race on this build"));

    // A GIL build's headers: the #else branch is live, and the race needs
    // another build.
    let (_dir, root) = fixture("freethreaded", |db| db.replace("python313t", "python312"));
    let found = findings(&root, &[]);
    assert_eq!(variables(&found), all);
    assert_eq!(not_compiled_here(&found), ["nogil_cache"]);
    let ft = &site(&found, "gil_cache")["free_threaded"];
    assert_eq!(ft["value"], false, "{ft}");
    assert_eq!(
        ft["evidence"],
        "neither the command nor Python's headers define Py_GIL_DISABLED"
    );
    assert!(ft["note"].as_str().unwrap().contains("has the GIL"), "{ft}");
    assert_eq!(
        site(&found, "plain_cache")["free_threaded"]["note"],
        serde_json::Value::Null
    );

    // The flag on the command line says so too (Windows builds pass it).
    let (_dir, root) = fixture("freethreaded", |db| {
        db.replace(
            "-I../branches/python313t",
            "-I../branches/python312 -DPy_GIL_DISABLED",
        )
    });
    let found = findings(&root, &[]);
    let ft = &site(&found, "nogil_cache")["free_threaded"];
    assert_eq!(ft["value"], true);
    assert_eq!(ft["evidence"], "the command defines Py_GIL_DISABLED");

    // No Python headers on the path: not known, and not shown; both
    // branches are kept.
    let (_dir, root) = fixture("freethreaded", |db| {
        db.replace(" -I../branches/python313t", "")
    });
    let found = findings(&root, &[]);
    assert_eq!(variables(&found), all);
    assert!(found.iter().all(|f| f.get("free_threaded").is_none()));
}

#[test]
fn a_header_fix_is_verified_through_every_unit_that_includes_it() {
    // src/limited.c includes the header with -DPy_LIMITED_API: the fixed
    // header does not compile there. The header's fix is refused, and so
    // is src/full.c's, which was verified together with it; nothing is
    // written, and nothing is left in the project.
    let (_dir, root) = fixture("headers", str::to_owned);
    let before: Vec<Vec<u8>> = ["include/shared.h", "src/full.c", "src/limited.c"]
        .iter()
        .map(|f| std::fs::read(root.join(f)).unwrap())
        .collect();
    let listing = |root: &Path| -> Vec<String> {
        let mut all = Vec::new();
        for dir in ["", "src", "include"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                all.push(format!(
                    "{dir}/{}",
                    e.unwrap().file_name().to_string_lossy()
                ));
            }
        }
        all.sort();
        all
    };
    let files = listing(&root);
    oncevar()
        .current_dir(&root)
        .args(["check", "--trust-compile-commands", "--fix", "."])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("include/shared.h: fix refused")
                .and(predicate::str::contains(
                    "the unit of src/limited.c, which includes it, compiled before and fails \
                     after it",
                ))
                .and(predicate::str::contains("non-limited C API"))
                .and(predicate::str::contains(
                    "src/full.c: fix refused: it was verified together with the fix of \
                     include/shared.h, which is refused",
                )),
        );
    for (f, bytes) in ["include/shared.h", "src/full.c", "src/limited.c"]
        .iter()
        .zip(&before)
    {
        assert_eq!(&std::fs::read(root.join(f)).unwrap(), bytes, "{f} changed");
    }
    assert_eq!(listing(&root), files, "nothing left behind");
    let verified = findings(&root, &["--verify", "--trust-compile-commands"]);
    assert_eq!(fix_of(&verified, "shared_names")["verified"], false);
    // The same when oncevar runs from elsewhere, the project named by path.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = oncevar()
        .current_dir(elsewhere.path())
        .args([
            "check",
            "--verify",
            "--output-format",
            "json",
            "--compile-commands",
        ])
        .arg(root.join("compile_commands.json"))
        .arg(&root)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shared = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["variable"] == "shared_names")
        .unwrap();
    assert_eq!(shared["fix"]["verified"], false, "{shared}");

    // Without the limited unit's flag, both units compile the fixed header.
    let (_dir, root) = fixture("headers", |db| {
        db.replace(" -DPy_LIMITED_API=0x030B0000", "")
    });
    let verified = findings(&root, &["--verify", "--trust-compile-commands"]);
    assert_eq!(fix_of(&verified, "shared_names")["verified"], true);
    assert_eq!(fix_of(&verified, "full_cache")["verified"], true);
    oncevar()
        .current_dir(&root)
        .args([
            "check",
            "--trust-compile-commands",
            "--fix",
            "--write-runtime",
            "include",
            ".",
        ])
        .assert()
        .stderr(predicate::str::contains("verified 2 fixed files"));
    assert!(std::fs::read_to_string(root.join("include/shared.h"))
        .unwrap()
        .contains("Py_ONCEVAR_DECLARE(PyObject *, shared_names);"));
}

#[test]
fn a_unit_that_does_not_compile_before_is_named_and_its_fix_not_verified() {
    let (_dir, root) = project();
    // The build generates config.h; this tree has one that stops the
    // compiler (it has not been configured), so the unit fails as it is,
    // before any fix: the fix is written, unverified, and the run says why.
    // (A config.h found nowhere would make the fix unsafe instead: what it
    // holds is not known.)
    std::fs::write(root.join("src/config.h"), "#error run ./configure first\n").unwrap();
    std::fs::write(
        root.join("src/generated.c"),
        "#include <Python.h>\n#include \"config.h\"\n\n\
         static PyObject *suffix = NULL; /*~ OV101 suffix */\n\n\
         static PyObject *get_suffix(void);\nstatic PyObject *get_suffix(void)\n{\n    \
         if (suffix == NULL) {\n        suffix = PyUnicode_FromString(SUFFIX);\n    }\n    \
         return suffix;\n}\n",
    )
    .unwrap();
    let path = root.join("compile_commands.json");
    let mut db: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut entry = db[0].clone();
    entry["file"] = "src/generated.c".into();
    entry["command"] = entry["command"]
        .as_str()
        .unwrap()
        .replace("greeting", "generated")
        .into();
    db.as_array_mut().unwrap().push(entry);
    std::fs::write(&path, db.to_string()).unwrap();

    assert_eq!(
        fix_of(
            &findings(&root, &["--verify", "--trust-compile-commands"]),
            "suffix"
        )["verified"],
        serde_json::Value::Null
    );
    oncevar()
        .current_dir(&root)
        .args([
            "check",
            "--trust-compile-commands",
            "--fix",
            "--write-runtime",
            "src",
            "src/generated.c",
        ])
        .assert()
        .code(0)
        .stderr(
            predicate::str::contains("src/generated.c: fix not verified")
                .and(predicate::str::contains("config.h")),
        );
    assert!(std::fs::read_to_string(root.join("src/generated.c"))
        .unwrap()
        .contains("Py_ONCEVAR(suffix)"));
}

#[test]
fn the_python_headers_folder_of_the_database_does_not_join_the_units() {
    // CPython's own build passes -IInclude, the folder of Python.h: the C
    // API's headers are no part of a unit (as without the database), or
    // their macros (here a field named like the static) and their
    // preprocessor maze would be read as the module's code.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("Include/internal")).unwrap();
    std::fs::create_dir_all(root.join("Modules")).unwrap();
    std::fs::write(
        root.join("Include/Python.h"),
        "/* The C API stand-in: an exception's fields. */\n\
         #include \"internal/fields.h\"\n\
         #define Py_EXCEPTION_FIELDS PyObject *context; PyObject *cause;\n",
    )
    .unwrap();
    std::fs::write(
        root.join("Include/internal/fields.h"),
        "#define Py_TRACE_FIELDS PyObject *context;\n",
    )
    .unwrap();
    std::fs::write(
        root.join("Modules/contextmodule.c"),
        "#include \"Python.h\"\n#include \"fields.h\"\n\n\
         static PyObject *context = NULL;\n\n\
         static PyObject *get_context(void)\n{\n    if (context == NULL) {\n        \
         context = PyUnicode_FromString(\"ctx\");\n    }\n    return context;\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("compile_commands.json"),
        r#"[{"directory": ".", "file": "Modules/contextmodule.c",
             "command": "cc -c -I. -IInclude -IInclude/internal -DPy_BUILD_CORE_MODULE Modules/contextmodule.c"}]"#,
    )
    .unwrap();
    let list = findings(root, &[]);
    let fix = fix_of(&list, "context");
    assert_eq!(fix["safety"], "safe", "{fix}");
}

#[test]
fn a_missing_database_says_why_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.c"), "static int x;\n").unwrap();
    let out = oncevar()
        .current_dir(dir.path())
        .args(["check", "--compile-commands", "no/such.json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no/such.json"), "{stderr}");
    assert_eq!(
        stderr.matches("No such file or directory").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn verify_without_a_database_says_nothing_was_verified() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("m.c"),
        "#include <Python.h>\nstatic PyObject *s = NULL;\nstatic PyObject *get(void)\n{\n    if (s == NULL) {\n        s = PyUnicode_FromString(\"s\");\n    }\n    return s;\n}\n",
    )
    .unwrap();
    for args in [
        &["check", "--diff", "--verify", "."][..],
        &["check", "--verify", "."],
    ] {
        let out = oncevar()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("--verify") && stderr.contains("no compilation database"),
            "{args:?}: {stderr}"
        );
    }
}

/// The names of the files under `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    names.sort();
    names
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn verification_writes_nothing_into_the_build_folder_whatever_the_flags() {
    // Flags with which gcc writes files even under -fsyntax-only (into
    // the command's directory, here the project): coverage notes, stack
    // usage, dumps, saved temporaries, dependency files through -Wp, the
    // prototype list, call graphs.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("m.c"),
        "#include <Python.h>\nstatic PyObject *s = NULL;\nstatic PyObject *get(void);\nstatic PyObject *get(void)\n{\n    if (s == NULL) {\n        s = PyUnicode_FromString(\"s\");\n    }\n    return s;\n}\n",
    )
    .unwrap();
    let mut arguments = vec!["gcc".to_owned(), "-c".to_owned()];
    arguments.extend(python_includes());
    for flag in [
        "--coverage",
        "-ftest-coverage",
        "-fstack-usage",
        "-fdump-tree-original",
        "-fdump-ipa-all",
        "-save-temps",
        "-save-temps=obj",
        "-Wp,-MMD,m.d",
        "-aux-info",
        "aux.txt",
        "-fcallgraph-info",
        "-o",
        "m.o",
        "m.c",
    ] {
        arguments.push(flag.to_owned());
    }
    let db = serde_json::json!([{
        "directory": root.display().to_string(),
        "file": "m.c",
        "arguments": arguments,
    }]);
    std::fs::write(root.join("compile_commands.json"), db.to_string()).unwrap();
    let before = listing(root);
    let out = oncevar()
        .current_dir(root)
        .args([
            "check",
            "--trust-compile-commands",
            "--verify",
            "--output-format",
            "json",
            ".",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("\"verified\": true"), "{stdout}");
    assert_eq!(listing(root), before);
}

#[test]
fn a_unit_the_build_does_not_compile_does_not_veto_a_shared_headers_fix() {
    // move.c and reduce.c are built; move_template.c and reduce_template.c
    // (what they are generated from) are not, and include the same headers.
    let (_dir, root) = fixture("templates", str::to_owned);
    let without = tempfile::tempdir().unwrap();
    copy_tree(&root.join("src"), &without.path().join("src"));
    for (found, trusted) in [
        (findings(&root, &[]), false),
        (
            findings(&root, &["--verify", "--trust-compile-commands"]),
            true,
        ),
    ] {
        assert_eq!(
            variables(&found),
            [
                "empty_tuple",
                "generator_state",
                "slow_module",
                "template_only"
            ],
            "one finding per site"
        );
        for variable in [
            "slow_module",
            "empty_tuple",
            "template_only",
            "generator_state",
        ] {
            let fix = fix_of(&found, variable);
            assert_eq!(fix["safety"], "safe", "{variable}: {fix}");
            let reasons: Vec<&serde_json::Value> =
                fix["reasons"].as_array().unwrap().iter().collect();
            let mut distinct = reasons.clone();
            distinct.dedup();
            assert_eq!(reasons, distinct, "{variable}: a reason repeats");
        }
        // The headers the built units include are verified through them.
        let verified = if trusted {
            serde_json::Value::Bool(true)
        } else {
            serde_json::Value::Null
        };
        assert_eq!(fix_of(&found, "slow_module")["verified"], verified);
        assert_eq!(fix_of(&found, "empty_tuple")["verified"], verified);
    }
    // Without a database every unit has its say, as before.
    let all = findings(without.path(), &["-I", "src/include"]);
    assert_eq!(
        variables(&all),
        [
            "empty_tuple",
            "generator_state",
            "slow_module",
            "template_only"
        ]
    );
}

#[test]
fn verified_means_the_edited_lines_were_compiled() {
    // The preprocessor is not run before the scan (--no-preprocessor), so
    // the evaluator keeps the branches it cannot decide, and their sites.
    let (_dir, root) = fixture("uncompiled", str::to_owned);
    let found = findings(
        &root,
        &["--verify", "--trust-compile-commands", "--no-preprocessor"],
    );
    let verdict = |variable: &str| {
        let fix = fix_of(&found, variable);
        (
            fix["verified"].clone(),
            fix["verification_note"].as_str().unwrap_or("").to_owned(),
        )
    };
    // Every edit compiled, by this unit or (a header) by one that includes it.
    for variable in ["always", "fast_table"] {
        assert_eq!(
            verdict(variable),
            (serde_json::Value::Bool(true), String::new())
        );
    }
    // An edit on a line the build does not compile: not verified, and why.
    for (variable, line, directive) in [
        ("msvc_name", 9, "`#ifdef _MSC_VER` at line 5"),
        ("other_name", 22, "`#else` at line 21"),
        ("cached", 35, "`#  ifdef WITH_CACHE` at line 34"),
        ("shared", 31, "`#ifdef _WIN32` at line 27"),
    ] {
        let (verified, note) = verdict(variable);
        assert_eq!(verified, serde_json::Value::Null, "{variable}");
        assert_eq!(
            note,
            format!("not verified: line {line} is not compiled by this build ({directive})"),
            "{variable}"
        );
    }
    // In every format: SARIF's fix properties, and a note on stderr.
    let out = oncevar()
        .current_dir(&root)
        .args([
            "check",
            "--verify",
            "--trust-compile-commands",
            "--no-preprocessor",
            "--output-format",
            "sarif",
            ".",
        ])
        .output()
        .unwrap();
    let sarif = String::from_utf8(out.stdout).unwrap();
    assert!(
        sarif
            .contains("\"verificationNote\": \"not verified: line 9 is not compiled by this build"),
        "{sarif}"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("src/winonly.c: 13 edits are not compiled by this build, so the fixes that make them are not verified"),
        "{stderr}"
    );
    // With the preprocessor run (the default), those branches hold the
    // same sites (another build compiles them), the same not verified,
    // each with a note naming its innermost branch.
    let found = findings(&root, &["--verify", "--trust-compile-commands"]);
    for (variable, line, directive) in [
        ("msvc_name", 9, "`#ifdef _MSC_VER` (line 5)"),
        ("other_name", 22, "`#else` (line 21)"),
        ("cached", 35, "`#ifdef WITH_CACHE` (line 34)"),
        ("shared", 31, "`#ifdef _WIN32` (line 27)"),
    ] {
        assert_eq!(
            fix_of(&found, variable)["verified"],
            serde_json::Value::Null
        );
        let notes = safe_fix_notes(&found, variable);
        assert!(
            notes[0].starts_with(&format!(
                "line {line} is under {directive}, which the build of"
            )),
            "{variable}: {notes:?}"
        );
    }
    assert_eq!(fix_of(&found, "always")["verified"], true);
}

/// oncevar's JSON findings (sorted by variable) and stderr in `root`.
fn findings_and_stderr(root: &Path, args: &[&str]) -> (Vec<serde_json::Value>, String) {
    let out = oncevar()
        .current_dir(root)
        .args(["check", "--output-format", "json"])
        .args(args)
        .arg(".")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let mut list = report["findings"].as_array().unwrap().clone();
    list.sort_by_key(|f| f["variable"].as_str().unwrap().to_owned());
    (list, String::from_utf8(out.stderr).unwrap())
}

#[test]
fn with_a_trusted_database_the_builds_preprocessor_decides_which_branches_it_compiles() {
    let (_dir, root) = fixture("preprocessed", str::to_owned);
    let db = root.join("compile_commands.json").display().to_string();
    let (found, stderr) = findings_and_stderr(&root, &["--trust-compile-commands"]);
    assert!(!stderr.contains("warning"), "{stderr}");
    // `cache` (#ifdef WITH_CACHE, which nothing defines), `no_tables` (the
    // project's USE_TABLES is 1) and `feature` (its HAVE_FEATURE(3) is 0)
    // are in branches this build does not compile: sites all the same
    // (another build may compile them), with a note; fast.h's site is in
    // a branch that fast.c (-DFAST) compiles and slow.c does not.
    let all = [
        "cache",
        "fallback",
        "fast_table",
        "feature",
        "no_tables",
        "plain",
        "shared",
        "slow_table",
        "tables",
    ];
    assert_eq!(variables(&found), all, "{stderr}");
    assert_eq!(
        not_compiled_here(&found),
        ["cache", "fast_table", "feature", "no_tables"]
    );
    assert!(
        safe_fix_notes(&found, "fast_table")[0].contains("the build of `src/slow.c` does not"),
        "{found:?}"
    );
    // `shared` is named in the WITH_CACHE branch too: the fix reads it,
    // and finds its release there (before: unsafe for a branch it did
    // not rewrite).
    let shared = fix_of(&found, "shared");
    assert_eq!(shared["safety"], "unsafe");
    assert!(
        shared["reason"]
            .as_str()
            .unwrap()
            .contains("the `Py_XDECREF` on line 76"),
        "{shared}"
    );
    // Named only under #if 0, which no build compiles: still safe.
    assert_eq!(fix_of(&found, "plain")["safety"], "safe");
    // Free threading: where the evaluator knows, its evidence; slow.c
    // forces a header in (-include), which leaves every name unknown to
    // the evaluator, so the preprocessor's answer.
    let free = |variable: &str| {
        found.iter().find(|f| f["variable"] == variable).unwrap()["free_threaded"].clone()
    };
    assert_eq!(
        free("tables")["evidence"],
        "neither the command nor Python's headers define Py_GIL_DISABLED"
    );
    assert_eq!(free("slow_table")["value"], false);
    assert_eq!(
        free("slow_table")["evidence"],
        "the build's preprocessor leaves Py_GIL_DISABLED undefined"
    );
    // The same named on the command line, whatever the thread count.
    for args in [
        &["--compile-commands", &db][..],
        &["--trust-compile-commands", "--jobs", "1"],
        &["--trust-compile-commands", "--no-prefilter"],
    ] {
        assert_eq!(findings_and_stderr(&root, args).0, found, "{args:?}");
    }
    // The fixes of the branches the build does not compile edit them.
    let out = oncevar()
        .current_dir(&root)
        .args(["check", "--diff", "--trust-compile-commands", "."])
        .output()
        .unwrap();
    let patch = String::from_utf8(out.stdout).unwrap();
    for variable in ["tables", "cache", "no_tables", "feature"] {
        assert!(
            patch.contains(&format!("+Py_ONCEVAR_DECLARE(PyObject *, {variable});")),
            "{variable}: {patch}"
        );
    }

    // Found and not trusted, nothing runs: oncevar's evaluator keeps the
    // branches it cannot decide (the project's macros, WITH_CACHE).
    let (plain, _) = findings_and_stderr(&root, &[]);
    assert_eq!(variables(&plain), all);
}

#[test]
fn a_unit_whose_preprocessor_fails_falls_back_to_the_evaluator_with_a_warning() {
    // branches' database names a Python headers folder with no Python.h:
    // its preprocessor fails, and the evaluator decides as without trust.
    let (_dir, root) = fixture("branches", str::to_owned);
    let (evaluated, _) = findings_and_stderr(&root, &[]);
    let (found, stderr) = findings_and_stderr(&root, &["--trust-compile-commands"]);
    assert_eq!(found, evaluated);
    assert!(
        stderr.contains("warning: ")
            && stderr.contains("src/branches.c: the build's preprocessor (-E) failed")
            && stderr.contains("Python.h")
            && stderr.contains("its #if branches are decided by oncevar's own evaluator"),
        "{stderr}"
    );
}

/// The notes of `variable`'s safe fix that say a line it edits is under
/// a branch oncevar could not decide, each with the path and line it is
/// placed at.
fn undecided_notes(found: &[serde_json::Value], variable: &str) -> Vec<(String, String, u64)> {
    let fix = fix_of(found, variable);
    if fix["safety"] != "safe" {
        return Vec::new();
    }
    fix["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["message"].as_str().unwrap().contains("could not decide"))
        .map(|r| {
            (
                r["message"].as_str().unwrap().to_owned(),
                r["location"]["path"].as_str().unwrap().to_owned(),
                r["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_safe_fix_in_a_branch_the_evaluator_cannot_decide_says_so() {
    let (_dir, root) = fixture("preprocessed", str::to_owned);
    let note = |line: u32, directive: &str, at: u32| {
        format!(
            "line {line} is under `{directive}` (line {at}), which oncevar could not decide: the \
             fix is verified only if a build compiles it"
        )
    };
    // The database found and not trusted: oncevar's evaluator decides with
    // its flags, and cannot decide a project macro, a name nothing
    // defines, a compiler's own macro or anything under a forced -include.
    let found = findings(&root, &[]);
    assert_eq!(
        undecided_notes(&found, "cache"),
        [(note(9, "#ifdef WITH_CACHE", 8), "src/cache.c".into(), 8)]
    );
    // An #else after an undecided #if is undecided too.
    assert_eq!(
        undecided_notes(&found, "no_tables"),
        [(note(32, "#else", 31), "src/cache.c".into(), 31)]
    );
    // A header's site, placed in the header.
    assert_eq!(
        undecided_notes(&found, "fast_table"),
        [(note(4, "#ifdef FAST", 3), "src/fast.h".into(), 3)]
    );
    // Outside any branch: no note.
    assert!(undecided_notes(&found, "plain").is_empty());
    // Without any database: the same.
    let without = findings(&root, &["--no-compile-commands"]);
    for variable in ["cache", "no_tables", "fast_table", "plain"] {
        assert_eq!(
            undecided_notes(&without, variable),
            undecided_notes(&found, variable),
            "{variable}"
        );
    }
    // The compiler decides, and leaves nothing undecided.
    let trusted = findings(&root, &["--trust-compile-commands"]);
    assert!(!trusted.is_empty());
    for f in &trusted {
        let variable = f["variable"].as_str().unwrap();
        assert!(undecided_notes(&trusted, variable).is_empty(), "{variable}");
    }
}

#[test]
fn a_branch_the_units_flags_decide_has_no_note() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let site = |name: &str| {
        format!(
            "static PyObject *{name} = NULL;\nstatic PyObject *get_{name}(void) {{\n    if ({name} == NULL) \
             {{\n        {name} = PyDict_New();\n    }}\n    return {name};\n}}\n"
        )
    };
    let text = format!(
        "#include <Python.h>\n#ifdef WITH_X\n{}#endif\n#if WITH_LEVEL > 1\n{}#endif\n#ifdef OTHER\n{}#endif\n",
        site("by_flag"),
        site("by_value"),
        site("other")
    );
    std::fs::write(root.join("x.c"), text).unwrap();
    let entry = format!(
        "[{{\"directory\": \"{}\", \"file\": \"x.c\", \"command\": \"cc -DWITH_X -DWITH_LEVEL=2 -c x.c\"}}]",
        root.display()
    );
    std::fs::write(root.join("compile_commands.json"), entry).unwrap();
    let found = findings(root, &[]);
    assert!(undecided_notes(&found, "by_flag").is_empty());
    assert!(undecided_notes(&found, "by_value").is_empty());
    assert_eq!(undecided_notes(&found, "other").len(), 1);
    // Without the database nothing decides them.
    let without = findings(root, &["--no-compile-commands"]);
    for variable in ["by_flag", "by_value", "other"] {
        assert_eq!(undecided_notes(&without, variable).len(), 1, "{variable}");
    }
    // Every format that shows a fix's reasons shows it.
    let note = "line 3 is under `#ifdef WITH_X` (line 2), which oncevar could not decide";
    for (format, shown) in [
        ("human", format!("note: the fix rests on: {note}")),
        ("github", format!("%0Athe fix rests on: {note}")),
        ("sarif", note.to_owned()),
    ] {
        let out = oncevar()
            .current_dir(root)
            .args([
                "check",
                "--no-compile-commands",
                "--output-format",
                format,
                "x.c",
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains(&shown), "{format}: {stdout}");
    }
}

#[test]
fn a_gil_claim_in_a_branch_another_build_compiles_is_named() {
    // The headers of a GIL build (3.12): `#ifdef Py_GIL_DISABLED` and
    // `#if PY_VERSION_HEX >= 0x030D0000` are not compiled here, but the
    // same file built for 3.13t runs without the GIL. This build's class
    // and fix stand (the fix leaves the race as it was); the note names the
    // claim and what a free-threaded build's database would change.
    let (_dir, root) = fixture("claim-branches", str::to_owned);
    let found = findings(&root, &[]);
    let mut names = variables(&found);
    names.sort_unstable();
    assert_eq!(names, ["codec", "plain", "table"]);
    let site = |found: &[serde_json::Value], variable: &str| {
        found
            .iter()
            .find(|f| f["variable"] == variable)
            .unwrap_or_else(|| panic!("no finding for {variable}"))
            .clone()
    };
    let note = |f: &serde_json::Value| f["free_threaded"]["note"].as_str().map(str::to_owned);
    for (variable, claim) in [
        ("table", "src/slot_ifdef.c:40"),
        ("codec", "src/setgil_version.c:39"),
    ] {
        let f = site(&found, variable);
        assert_eq!(f["code"], "OV101", "{f}");
        assert_eq!(f["fix"]["safety"], "safe", "{f}");
        assert_eq!(f["claims"], serde_json::json!([]), "{f}");
        assert_eq!(f["free_threaded"]["value"], false, "{f}");
        let note = note(&f).unwrap_or_default();
        assert!(
            note.contains(&format!(
                "claims Py_MOD_GIL_NOT_USED at {claim} in a branch"
            )) && note.contains("a data race there"),
            "{f}"
        );
    }
    // A macro defined, a comment, a string, and `#if 0` make no claim.
    let plain = site(&found, "plain");
    assert_eq!(plain["code"], "OV101", "{plain}");
    assert_eq!(plain["fix"]["safety"], "safe", "{plain}");
    assert_eq!(note(&plain), None, "{plain}");

    // A build that compiles the claims races: OV401, published or unsafe.
    let (_dir, root) = fixture("claim-branches", |db| db.replace("python312", "python313t"));
    let built = findings(&root, &[]);
    let table = site(&built, "table");
    assert_eq!(table["code"], "OV401", "{table}");
    assert_eq!(table["fix"]["safety"], "unsafe", "{table}");
    assert_eq!(table["claims"][0]["line"], 40, "{table}");
    let codec = site(&built, "codec");
    assert_eq!(codec["code"], "OV401", "{codec}");
    assert_eq!(codec["fix"]["safety"], "safe", "{codec}");
    assert!(
        codec["fix"]["edits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["content"]
                .as_str()
                .unwrap()
                .contains("Py_ONCEVAR_SET(codec")),
        "{codec}"
    );
    assert_eq!(site(&built, "plain")["code"], "OV101");
}

/// Runs `oncevar check --fix` with `args` in `root`, which exits with
/// `code` (0: every site fixed, 1: some left), and writes the runtime
/// header into `root/src`.
fn fix_with_runtime(root: &Path, args: &[&str], code: i32) {
    oncevar()
        .current_dir(root)
        .args(["check", "--fix"])
        .args(args)
        .arg(".")
        .assert()
        .code(code);
    oncevar()
        .current_dir(root)
        .args(["runtime", "--write", "src"])
        .assert()
        .success();
}

/// Runs `cc -fsyntax-only` on every `.c` file under `root/src` with each
/// of `flag_sets` (and `-Isrc`, `-Isrc/include` and Python's headers):
/// the failures, as "file flags: first error".
fn compile_errors(root: &Path, flag_sets: &[&[&str]]) -> Vec<String> {
    let mut errors = Vec::new();
    for entry in std::fs::read_dir(root.join("src")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "c") {
            continue;
        }
        for flags in flag_sets {
            let out = std::process::Command::new("cc")
                .current_dir(root)
                .args(["-fsyntax-only", "-Isrc", "-Isrc/include"])
                .args(python_includes())
                .args(*flags)
                .arg(&path)
                .output()
                .unwrap();
            if !out.status.success() {
                let stderr = String::from_utf8_lossy(&out.stderr);
                let first = stderr.lines().find(|l| l.contains("error")).unwrap_or("");
                errors.push(format!("{} {flags:?}: {first}", path.display()));
            }
        }
    }
    errors
}

#[test]
fn statics_under_another_pythons_or_platforms_branches_are_sites_with_any_database() {
    // versions.c: statics under PY_VERSION_HEX >= 3.13, Py_GIL_DISABLED,
    // Py_LIMITED_API and Py_DEBUG, none compiled by this machine's Python;
    // platforms.c: MS_WINDOWS, __APPLE__, the #else of USE_NS, a use under
    // #ifndef __linux__. Before, with a database (read for its flags, or
    // trusted), the sites of every branch the build does not compile were
    // gone, silently.
    // The limited API's `limited` is a site, but its fix is unsafe: the
    // runtime header refuses the only build that compiles it (session
    // 14; safe and noted before).
    let (_dir, root) = fixture("other-builds", str::to_owned);
    let all = [
        "debug_hook",
        "fn",
        "fn",
        "future",
        "limited",
        "mac_codec",
        "nogil_cache",
        "plain",
        "shared",
        "win_codec",
    ];
    let untrusted = findings(&root, &[]);
    let trusted = findings(&root, &["--trust-compile-commands", "--verify"]);
    for (found, not_here) in [
        // The evaluator decides Python's names; the platform's stay
        // undecided (the compiler may predefine them).
        (&untrusted, &["future", "nogil_cache", "debug_hook"][..]),
        // The compiler decides every branch.
        (
            &trusted,
            &[
                "win_codec",
                "mac_codec",
                "shared",
                "fn",
                "future",
                "nogil_cache",
                "debug_hook",
            ],
        ),
    ] {
        let mut names = variables(found);
        names.sort_unstable();
        assert_eq!(names, all);
        for f in found {
            assert_eq!(f["code"], "OV101", "{f}");
            if f["variable"] == "limited" {
                assert_eq!(f["fix"]["safety"], "unsafe", "{f}");
                assert!(
                    f["fix"]["reason"].as_str().unwrap_or_default().contains(
                        "line 33 is under `#elif defined(Py_LIMITED_API)` (line 32): only a \
                         build that defines Py_LIMITED_API compiles it"
                    ),
                    "{f}"
                );
                continue;
            }
            assert_eq!(f["fix"]["safety"], "safe", "{f}");
            if !not_compiled_here(std::slice::from_ref(f)).is_empty() {
                assert_ne!(f["fix"]["verified"], true, "{f}");
            }
        }
        let mut noted = not_compiled_here(found);
        noted.sort_unstable();
        let mut expected = not_here.to_vec();
        expected.sort_unstable();
        assert_eq!(noted, expected);
        // The claim under #ifdef Py_GIL_DISABLED is not this build's (G1):
        // named in a note, the class stays.
        let plain = found.iter().find(|f| f["variable"] == "plain").unwrap();
        assert!(
            plain["free_threaded"]["note"]
                .as_str()
                .unwrap_or_default()
                .contains("claims Py_MOD_GIL_NOT_USED at src/versions.c:80"),
            "{plain}"
        );
    }
    // The fix of the compiled branch of `fn` is verified; the other is not.
    let fns: Vec<&serde_json::Value> = trusted.iter().filter(|f| f["variable"] == "fn").collect();
    assert_eq!(fns[0]["fix"]["verified"], true, "{:?}", fns[0]);
    assert_eq!(fns[1]["fix"]["verified"], serde_json::Value::Null);

    // Applied, each build still compiles: this one, and those of the
    // other branches that this machine can compile.
    // `limited` stays: only a limited-API build compiles it.
    fix_with_runtime(&root, &["--trust-compile-commands"], 1);
    let text = std::fs::read_to_string(root.join("src/platforms.c")).unwrap();
    for rewritten in [
        "Py_ONCEVAR_DECLARE(PyObject *, win_codec);",
        "Py_ONCEVAR_DECLARE(PyObject *, mac_codec);",
        "return Py_XNewRef(Py_ONCEVAR(shared));",
    ] {
        assert!(text.contains(rewritten), "{rewritten}: {text}");
    }
    assert_eq!(
        compile_errors(
            &root,
            &[
                &[],
                &["-DMS_WINDOWS"],
                &["-D__APPLE__"],
                &["-DUSE_NS=0"],
                &["-U__linux__"],
                &["-DPy_DEBUG"]
            ]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn a_template_outside_the_database_that_names_the_static_is_rewritten_with_it() {
    // move_template.c is not built, and clears common.h's static itself:
    // before, common.h and move.c were rewritten and the template kept
    // `Py_CLEAR(slow_module)`, a name the fixed header no longer declares.
    let (_dir, root) = fixture("templates", str::to_owned);
    let template = root.join("src/move_template.c");
    let text = std::fs::read_to_string(&template).unwrap();
    let clear = "static void\nmove_free(void *m)\n{\n    Py_CLEAR(slow_module);\n}\n";
    std::fs::write(&template, format!("{text}{clear}")).unwrap();
    let found = findings(&root, &[]);
    assert_eq!(fix_of(&found, "slow_module")["safety"], "safe");
    fix_with_runtime(&root, &[], 0);
    let fixed = std::fs::read_to_string(&template).unwrap();
    assert!(
        fixed.contains("Py_CLEAR(Py_ONCEVAR(slow_module));"),
        "{fixed}"
    );
    assert_eq!(compile_errors(&root, &[&[]]), Vec::<String>::new());

    // A template whose own fix is unsafe there (the static's address goes
    // to a function nobody scanned) makes the fix unsafe, naming it.
    let (_dir, root) = fixture("templates", str::to_owned);
    let template = root.join("src/move_template.c");
    let keep = "extern void keep(PyObject **);\nstatic void\nmove_keep(void)\n{\n    keep(&slow_module);\n}\n";
    std::fs::write(&template, format!("{text}{keep}")).unwrap();
    let found = findings(&root, &[]);
    let fix = fix_of(&found, "slow_module");
    assert_eq!(fix["safety"], "unsafe", "{fix}");
    assert!(
        fix["reason"].as_str().unwrap().contains(
            "`src/move_template.c` names `slow_module` (line 40) and only the unit of \
             `src/move_template.c`, which the build does not compile, rewrites it there, \
             but that unit's own fix is not safe"
        ),
        "{fix}"
    );

    // Named only in a macro's body, where no fix edits it: unsafe too.
    let (_dir, root) = fixture("templates", str::to_owned);
    let template = root.join("src/move_template.c");
    let macro_body = "#define CLEAR_SLOW() Py_CLEAR(slow_module)\nstatic void\nmove_free(void *m)\n{\n    CLEAR_SLOW();\n}\n";
    std::fs::write(&template, format!("{text}{macro_body}")).unwrap();
    let found = findings(&root, &[]);
    let fix = fix_of(&found, "slow_module");
    assert_eq!(fix["safety"], "unsafe", "{fix}");
    assert!(
        fix["reason"].as_str().unwrap().contains(
            "`src/move_template.c` names `slow_module` (line 36), where oncevar does not \
             rewrite it"
        ),
        "{fix}"
    );
}
