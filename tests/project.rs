//! What a project decides, through the binary: `oncevar.toml` (found by
//! walking up, or `--config`; mistakes named by file, line and key;
//! `--show-config`), inline suppressions, baselines (including the
//! insert-lines-above round trip), the summary, and the exit codes CI relies
//! on with and without a baseline.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn oncevar() -> Command {
    Command::cargo_bin("oncevar").unwrap()
}

/// A function holding one lazily initialised static named `name`.
fn site(function: &str, name: &str) -> String {
    format!(
        "static PyObject *\n{function}(void)\n{{\n    static PyObject *{name} = NULL;\n    \
         if ({name} == NULL) {{\n        {name} = PyDict_New();\n    }}\n    return {name};\n}}\n"
    )
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// (stdout, stderr, exit code) of `oncevar check ARGS` run in `dir`.
fn check(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = oncevar()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

/// The concise lines of a run, without the rest.
fn concise(dir: &Path, args: &[&str]) -> (Vec<String>, i32) {
    let mut all = vec!["--output-format", "concise"];
    all.extend_from_slice(args);
    let (out, _, code) = check(dir, &all);
    (out.lines().map(str::to_owned).collect(), code)
}

#[test]
fn configuration_is_found_by_walking_up() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("src/a.c"), &site("a", "cache"));
    write(&d.join("src/gen/b.c"), &site("b", "cache"));
    write(&d.join("tests/t.c"), &site("t", "cache"));
    write(
        &d.join("oncevar.toml"),
        "exclude = [\"gen/\", \"/tests\"]\n",
    );
    // From the root, from a subdirectory, and naming a file: same config.
    let (lines, code) = concise(d, &[]);
    assert_eq!(code, 1);
    assert_eq!(lines, ["src/a.c:4:22: OV101 static `PyObject *` `cache` is initialised lazily and never released: it leaks at finalisation and is shared by every interpreter"]);
    let (lines, _) = concise(&d.join("src"), &[]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("a.c:4:22: OV101"));
    let (lines, code) = concise(d, &["src/gen/b.c"]);
    assert_eq!(
        (lines.len(), code),
        (0, 0),
        "an excluded file is skipped even when named"
    );
    // --no-config and --config.
    let (lines, _) = concise(d, &["--no-config"]);
    assert_eq!(lines.len(), 3);
    write(&d.join("other.toml"), "include = [\"tests/\"]\n");
    let (lines, _) = concise(d, &["--config", "other.toml"]);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with("tests/t.c:"));
}

#[test]
fn configuration_selects_codes_and_object_types() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let custom = "typedef struct { int x; } MyState;\n\
                  static MyState *state = NULL;\n\
                  MyState *get(void) { if (state == NULL) { state = make(); } return state; }\n";
    write(&d.join("custom.c"), custom);
    write(&d.join("legacy/v.c"), &site("v", "cache"));
    // Without configuration, `MyState *` is memory: OV201.
    let (lines, _) = concise(d, &["--no-config", "custom.c"]);
    assert!(lines[0].contains(" OV201 "), "{lines:?}");
    write(
        &d.join("oncevar.toml"),
        "object-types = [\"MyState\"]\n\
         ignore = [\"OV201\"]\n\
         [per-path-ignores]\n\"legacy/**\" = [\"OV101\"]\n",
    );
    let (lines, code) = concise(d, &[]);
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("custom.c:2:17: OV101"), "{lines:?}");
    // The command line replaces `select` and adds to `ignore`.
    let (lines, code) = concise(d, &["--select", "OV102,OV301"]);
    assert_eq!((lines.len(), code), (0, 0));
    let (lines, code) = concise(d, &["--ignore", "ov101"]);
    assert_eq!((lines.len(), code), (0, 0));
    let (out, _, _) = check(d, &["--color", "never"]);
    assert!(out.contains("; 1 off by configuration"), "{out}");
    oncevar()
        .current_dir(d)
        .args(["check", "--select", "OV999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown code `OV999`"));
}

#[test]
fn configuration_mistakes_name_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("a.c"), &site("a", "cache"));
    for (text, expected) in [
        ("select = [\"OV101\"]\nexlude = [\"x/\"]\n", "oncevar.toml:2:1: key `exlude`: unknown key `exlude`"),
        ("ignore = [\n  \"OV102\",\n  \"OV9\",\n]\n", "oncevar.toml:3:3: key `ignore`: unknown code `OV9`"),
        ("exclude = \"build/\"\n", "oncevar.toml:1:11: key `exclude`: invalid type: string \"build/\", expected a sequence"),
        ("[per-path-ignores]\n\"a/{b\" = [\"OV101\"]\n", "oncevar.toml:2:1: key `per-path-ignores.\"a/{b\"`: invalid glob `a/{b`"),
        ("runtime-include = \"<oncevar.h\"\n", "oncevar.toml:1:19: key `runtime-include`: `<oncevar.h` is not a header name"),
        ("select = [\"OV101\"\n", "oncevar.toml:1:"),
    ] {
        write(&d.join("oncevar.toml"), text);
        let (stdout, stderr, code) = check(d, &[]);
        assert_eq!(code, 2, "{text}");
        assert!(stdout.is_empty());
        let first = stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with("error: "), "{first}");
        assert!(first.contains(expected), "{text:?}: {first}");
        assert!(first.contains(&d.join("oncevar.toml").display().to_string()), "{first}");
    }
}

#[test]
fn show_config_prints_the_effective_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        &d.join("oncevar.toml"),
        "runtime-include = \"py/oncevar.h\"\nselect = [\"OV102\", \"OV101\"]\n",
    );
    let (out, _, code) = check(d, &["--show-config", "--ignore", "OV102"]);
    assert_eq!(code, 0);
    let file = d.join("oncevar.toml");
    let file = oncevar::project::config::absolute(&file);
    assert_eq!(
        out,
        format!(
            "# from {}\ninclude = []\nexclude = []\nvendored = [{}]\nobject-types = []\nobject-pointer-typedefs = []\ninclude-dirs = []\n\
             runtime-include = '\"py/oncevar.h\"'\nselect = [\"OV101\", \"OV102\"]\nignore = [\"OV102\"]\n\n\
             [per-path-ignores]\n",
            file.display(),
            oncevar::project::config::DEFAULT_VENDORED
                .iter()
                .map(|g| format!("\"{g}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    );
    // What it prints is a configuration file that reads back the same.
    write(&d.join("shown.toml"), out.split_once('\n').unwrap().1);
    let (again, _, _) = check(d, &["--show-config", "--config", "shown.toml"]);
    assert_eq!(
        again.split_once('\n').unwrap().1,
        out.split_once('\n').unwrap().1
    );
    let (defaults, _, _) = check(d, &["--show-config", "--no-config"]);
    assert!(
        defaults.starts_with("# no oncevar.toml found: defaults\n"),
        "{defaults}"
    );
    assert!(
        defaults.contains("runtime-include = '\"oncevar.h\"'\n"),
        "{defaults}"
    );
}

#[test]
fn inline_suppressions() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = format!(
        "{}\n{}\n{}\n{}",
        site("a", "kept"),
        site("b", "above").replace(
            "    static",
            "    // oncevar: ignore[OV101] -- a cache on purpose\n    static"
        ),
        site("c", "same").replace("= NULL;", "= NULL; /* oncevar: ignore */"),
        site("d", "wrong_code").replace("= NULL;", "= NULL; // oncevar: ignore[OV102, OV201]"),
    );
    write(&d.join("m.c"), &text);
    let (lines, code) = concise(d, &[]);
    assert_eq!(code, 1);
    let variables: Vec<&str> = lines
        .iter()
        .map(|l| l.split('`').nth(3).unwrap_or(l))
        .collect();
    assert_eq!(variables, ["kept", "wrong_code"], "{lines:?}");
    let (_, stderr, _) = check(d, &["--output-format", "concise"]);
    assert!(stderr.contains("; 2 suppressed inline"), "{stderr}");

    // Unused suppressions are reported, and fail the run, only when asked.
    let (lines, _) = concise(d, &["--report-unused-ignores"]);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(
        lines[2],
        "m.c:35:44: unused-ignore unused suppression: no OV102 or OV201 site on this line or the next"
    );
    write(&d.join("m.c"), "// oncevar: ignore\nstatic int x;\n");
    assert_eq!(concise(d, &[]).1, 0);
    let (lines, code) = concise(d, &["--report-unused-ignores"]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        ["m.c:1:4: unused-ignore unused suppression: no site on this line or the next"]
    );

    // A malformed directive is a warning; the run goes on.
    write(
        &d.join("m.c"),
        &format!("// oncevar: ignore[OV999]\n{}", site("a", "x")),
    );
    let (out, stderr, code) = check(d, &["--output-format", "concise"]);
    assert_eq!(code, 1);
    assert!(out.contains("OV101"));
    assert!(
        stderr.contains("warning: m.c:1:4: unknown code `OV999`"),
        "{stderr}"
    );
}

/// A baseline keys files by their escaped display path (a newline, a
/// control byte or a backslash in a name is written `\x0a`, `\x01`, `\\`):
/// a site that is gone from such a file is still counted as gone when the
/// directory is named raw on the command line.
#[cfg(unix)]
#[test]
fn baseline_with_hostile_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let raw = "d\nx";
    write(&d.join(raw).join("a\u{1}.c"), &site("f", "one"));
    write(&d.join("b\\s").join("q.c"), &site("g", "two"));
    let (_, stderr, code) = check(d, &[".", "--write-baseline", "base.json"]);
    assert_eq!(code, 0, "{stderr}");
    let file = std::fs::read_to_string(d.join("base.json")).unwrap();
    assert!(file.contains(r#""path": "d\\x0ax/a\\x01.c""#), "{file}");
    assert!(file.contains(r#""path": "b\\\\s/q.c""#), "{file}");

    write(&d.join(raw).join("a\u{1}.c"), "static int nothing;\n");
    for args in [&["."][..], &[raw, "b\\s"][..]] {
        let all = [
            args,
            &["--baseline", "base.json", "--output-format", "json"][..],
        ]
        .concat();
        let (out, stderr, code) = check(d, &all);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v["summary"]["baseline"],
            serde_json::json!({"file": "base.json", "baselined": 1, "gone": 1}),
            "{args:?}"
        );
    }
}

#[test]
fn baseline_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        &d.join("src/a.c"),
        &format!("{}{}", site("f", "one"), site("g", "two")),
    );
    write(&d.join("src/b.c"), &site("h", "three"));

    // Record today's sites: exit 0, a sorted file with one site per line.
    let (out, stderr, code) = check(d, &["src", "--write-baseline", "ci/baseline.json"]);
    assert_eq!((out.as_str(), code), ("", 0), "{stderr}");
    assert!(
        stderr.contains("wrote 3 sites to ci/baseline.json"),
        "{stderr}"
    );
    let file = std::fs::read_to_string(d.join("ci/baseline.json")).unwrap();
    assert_eq!(
        file,
        "{\n  \"version\": 1,\n  \"sites\": [\n    \
         {\"path\": \"../src/a.c\", \"function\": \"f\", \"variable\": \"one\", \"code\": \"OV101\"},\n    \
         {\"path\": \"../src/a.c\", \"function\": \"g\", \"variable\": \"two\", \"code\": \"OV101\"},\n    \
         {\"path\": \"../src/b.c\", \"function\": \"h\", \"variable\": \"three\", \"code\": \"OV101\"}\n  ]\n}\n"
    );

    // Nothing new: exit 0, and the summary says so.
    let baseline = ["--baseline", "ci/baseline.json"];
    let (out, _, code) = check(d, &[&["src", "--color", "never"][..], &baseline].concat());
    assert_eq!(code, 0);
    assert!(
        out.ends_with("no new sites found in 2 files scanned; 3 in baseline\n"),
        "{out}"
    );

    // Lines inserted above a site, code reformatted, the site moved to
    // another line: still baselined. Run from elsewhere: still found.
    let a = std::fs::read_to_string(d.join("src/a.c")).unwrap();
    let edited = format!(
        "/* licence */\n#include <Python.h>\n\nstatic int counter;\n\n{}",
        a.replace("    ", "\t")
    );
    write(&d.join("src/a.c"), &edited);
    let (lines, code) = concise(d, &[&["src"][..], &baseline].concat());
    assert_eq!((lines.len(), code), (0, 0), "{lines:?}");
    let (lines, code) = concise(&d.join("src"), &["--baseline", "../ci/baseline.json"]);
    assert_eq!((lines.len(), code), (0, 0), "{lines:?}");

    // A new site: only it is reported, and it fails the run.
    write(&d.join("src/c.c"), &site("k", "four"));
    let (lines, code) = concise(d, &[&["src"][..], &baseline].concat());
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("src/c.c:4:22: OV101"), "{lines:?}");
    // A second site with the same key is new too: keys are counted.
    write(
        &d.join("src/b.c"),
        &format!(
            "{}#if X\n{}#endif\n",
            site("h", "three"),
            site("h2", "three")
        ),
    );
    let (lines, _) = concise(d, &[&["src/b.c"][..], &baseline].concat());
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("`three`"));

    // A fixed site is gone: counted, not a failure.
    write(&d.join("src/b.c"), "static int nothing;\n");
    std::fs::remove_file(d.join("src/c.c")).unwrap();
    let (out, stderr, code) = check(
        d,
        &[&["src", "--output-format", "json"][..], &baseline].concat(),
    );
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["summary"]["baseline"],
        serde_json::json!({"file": "ci/baseline.json", "baselined": 2, "gone": 1})
    );
    assert!(
        stderr.contains("1 baselined site gone (shrink it with --write-baseline ci/baseline.json)"),
        "{stderr}"
    );
    // Scanning one directory neither counts the others' sites as gone nor,
    // when rewriting the file, forgets them.
    write(&d.join("lib/l.c"), &site("l", "five"));
    let (_, stderr, code) = check(d, &[&["lib"][..], &baseline].concat());
    assert_eq!(code, 1);
    assert!(!stderr.contains("gone"), "{stderr}");
    let (_, stderr, _) = check(d, &["lib", "--write-baseline", "ci/baseline.json"]);
    assert!(
        stderr.contains(
            "wrote 1 site to ci/baseline.json (kept 3 recorded outside the scanned paths)"
        ),
        "{stderr}"
    );
    let (lines, code) = concise(d, &[&["src", "lib"][..], &baseline].concat());
    assert_eq!((lines.len(), code), (0, 0), "{lines:?}");
    // Shrinking: rewriting from the whole tree drops the gone site.
    check(d, &["src", "lib", "--write-baseline", "ci/baseline.json"]);
    let file = std::fs::read_to_string(d.join("ci/baseline.json")).unwrap();
    assert_eq!(file.matches("\"path\"").count(), 3, "{file}");
    assert!(!file.contains("three"), "{file}");
}

#[test]
fn exit_codes_with_and_without_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("a.c"), &site("f", "one"));
    let run = |args: &[&str]| check(d, args).2;
    assert_eq!(run(&["a.c"]), 1, "a site");
    assert_eq!(run(&["a.c", "--write-baseline", "b.json"]), 0, "recorded");
    assert_eq!(
        run(&["a.c", "--baseline", "b.json"]),
        0,
        "only baselined sites"
    );
    write(&d.join("new.c"), &site("g", "two"));
    assert_eq!(run(&[".", "--baseline", "b.json"]), 1, "a new site");
    assert_eq!(
        run(&["missing.c", "--baseline", "b.json"]),
        2,
        "a path that cannot be read"
    );
    assert_eq!(
        run(&["a.c", "--baseline", "nothing.json"]),
        2,
        "no baseline file"
    );
    write(
        &d.join("bad.json"),
        "{\"version\": 1, \"sites\": [{\"path\": 3}]}",
    );
    assert_eq!(
        run(&["a.c", "--baseline", "bad.json"]),
        2,
        "a broken baseline file"
    );
    write(&d.join("new.c"), "static int x;\n");
    assert_eq!(run(&["new.c"]), 0, "nothing found");
    assert_eq!(
        run(&["a.c", "--baseline", "b.json", "--write-baseline", "c.json"]),
        2,
        "conflicting flags"
    );
    let (_, stderr, _) = check(d, &["a.c", "--baseline", "nothing.json"]);
    assert!(
        stderr.contains("cannot read baseline nothing.json") && stderr.contains("--write-baseline"),
        "{stderr}"
    );
    let (_, stderr, _) = check(d, &["a.c", "--baseline", "bad.json"]);
    assert!(
        stderr.contains("bad.json: not an oncevar baseline"),
        "{stderr}"
    );
}

#[test]
fn every_human_run_ends_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("a.c"), &site("f", "one"));
    // Parse errors count in files that may hold a site (a written static).
    write(&d.join("b.c"), "static PyObject *x; int f( { x = g();\n");
    let (out, stderr, _) = check(d, &["--color", "never"]);
    assert!(
        out.ends_with("found 1 site (OV101: 1) in 2 files scanned; 1 file with parse errors\n"),
        "{out}"
    );
    // The time taken goes to stderr, so stdout stays byte-identical.
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("scanned in ") && l.ends_with('s')),
        "{stderr}"
    );
}

/// A rule's name (`oncevar rule` lists them) works wherever its code does:
/// suppression comments, `select`, `ignore` and `per-path-ignores` in
/// `oncevar.toml`, `--select` and `--ignore`, and `oncevar rule NAME`.
#[test]
fn rule_names_work_wherever_codes_do() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = format!(
        "{}\n{}",
        site("a", "kept"),
        site("b", "quiet").replace("= NULL;", "= NULL; // oncevar: ignore[lazy-static-object]"),
    );
    write(&d.join("m.c"), &text);
    write(&d.join("legacy/v.c"), &site("v", "cache"));
    let (lines, code) = concise(d, &["m.c"]);
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("`kept`"), "{lines:?}");

    for (flag, value, found) in [
        ("--ignore", "lazy-static-object", 0),
        (
            "--select",
            "lazy-static-object-released,static-object-set-once",
            0,
        ),
        ("--select", "LAZY-STATIC-OBJECT", 2),
    ] {
        let (lines, _) = concise(d, &[flag, value]);
        assert_eq!(lines.len(), found, "{flag} {value}: {lines:?}");
    }

    write(
        &d.join("oncevar.toml"),
        "select = [\"lazy-static-object\", \"OV102\"]\n\
         ignore = [\"static-object-set-once\"]\n\
         [per-path-ignores]\n\"legacy/\" = [\"lazy-static-object\"]\n",
    );
    let (lines, _) = concise(d, &[]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("m.c:"), "{lines:?}");
    let (config, _, _) = check(d, &["--show-config"]);
    assert!(
        config.contains("select = [\"OV101\", \"OV102\"]"),
        "{config}"
    );

    oncevar()
        .args(["rule", "lazy-static-memory"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("OV201 (lazy-static-memory)"));
    oncevar()
        .current_dir(d)
        .args(["check", "--ignore", "lazy-statics"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown code `lazy-statics`; known codes (or their names): OV101 (lazy-static-object), ",
        ));
}

/// A module that claims to run without the GIL, with one racy lazy site.
const NOGIL_MODULE: &str = "#include <Python.h>\n\
static PyObject *cache = NULL;\n\
static PyObject *get(PyObject *m, PyObject *u) {\n\
    if (cache == NULL) {\n\
        cache = PyUnicode_FromString(\"x\");\n\
    }\n\
    return Py_XNewRef(cache);\n\
}\n\
static PyModuleDef_Slot slots[] = {\n\
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n\
    {0, NULL},\n\
};\n";

/// OV401 goes through the baseline, suppressions (by code and by rule
/// name), --select and --ignore like every other code.
#[test]
fn ov401_is_baselined_suppressed_and_selected_like_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("src/m.c"), NOGIL_MODULE);
    let (lines, code) = concise(d, &["src"]);
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("src/m.c:2:18: OV401"), "{lines:?}");

    let (_, stderr, code) = check(d, &["src", "--write-baseline", "baseline.json"]);
    assert_eq!(code, 0, "{stderr}");
    let file = std::fs::read_to_string(d.join("baseline.json")).unwrap();
    assert!(file.contains("\"code\": \"OV401\""), "{file}");
    let (lines, code) = concise(d, &["src", "--baseline", "baseline.json"]);
    assert_eq!((lines.len(), code), (0, 0), "{lines:?}");

    for (args, found) in [
        (&["src", "--select", "OV401"][..], 1),
        (&["src", "--ignore", "OV401"][..], 0),
        (&["src", "--select", "OV101"][..], 0),
    ] {
        let (lines, _) = concise(d, args);
        assert_eq!(lines.len(), found, "{args:?}: {lines:?}");
    }

    for marker in [
        "/* oncevar: ignore[OV401] */",
        "// oncevar: ignore[lazy-init-without-gil]",
    ] {
        let text = NOGIL_MODULE.replace(
            "static PyObject *cache = NULL;\n",
            &format!("static PyObject *cache = NULL; {marker}\n"),
        );
        write(&d.join("src/m.c"), &text);
        let (lines, code) = concise(d, &["src"]);
        assert_eq!((lines.len(), code), (0, 0), "{marker}: {lines:?}");
    }
}

/// Counts near `u64::MAX` add up without wrapping: two entries of one key
/// and two keys that are gone. Before, the summary said "2 baselined sites
/// gone" for 2 * (2^64 - 1) (and a debug build panicked on the overflow).
#[test]
fn baseline_counts_near_the_maximum_do_not_wrap() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("a.c"), &site("f", "one"));
    let max = u64::MAX;
    write(
        &d.join("b.json"),
        &format!(
            "{{\"version\": 1, \"sites\": [\n\
             {{\"path\": \"a.c\", \"function\": \"f\", \"variable\": \"one\", \"code\": \"OV101\", \"count\": {max}}},\n\
             {{\"path\": \"a.c\", \"function\": \"f\", \"variable\": \"one\", \"code\": \"OV101\", \"count\": {max}}},\n\
             {{\"path\": \"a.c\", \"function\": \"g\", \"variable\": \"gone\", \"code\": \"OV101\", \"count\": {max}}},\n\
             {{\"path\": \"a.c\", \"function\": \"h\", \"variable\": \"gone\", \"code\": \"OV101\", \"count\": {max}}}\n]}}\n"
        ),
    );
    let (_, stderr, code) = check(
        d,
        &["a.c", "--baseline", "b.json", "--output-format", "concise"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("1 in baseline, {max} baselined sites gone")),
        "{stderr}"
    );
    let (_, stderr, code) = check(d, &["a.c", "--write-baseline", "b.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("wrote 1 site to b.json"), "{stderr}");
}

/// `--write-baseline` into a folder that does not exist creates it and
/// says so (it did so without a word: a mistyped folder went unnoticed).
#[test]
fn write_baseline_says_when_it_creates_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("a.c"), &site("f", "one"));
    let (_, stderr, code) = check(d, &["a.c", "--write-baseline", "new/ci/b.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("note: created the folder new/ci\n"),
        "{stderr}"
    );
    assert!(d.join("new/ci/b.json").is_file());
    let (_, stderr, _) = check(d, &["a.c", "--write-baseline", "new/ci/b.json"]);
    assert!(!stderr.contains("created"), "{stderr}");
}
