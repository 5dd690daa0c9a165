//! The files that plug oncevar into other tools, checked against the real
//! binary: `.pre-commit-hooks.yaml` (its entry and arguments run), the
//! composite GitHub Action `action.yml` (its inputs, its upload step, and
//! its scan step run as a script), and the README's sample workflow.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

fn oncevar_help() -> String {
    let out = assert_cmd::Command::cargo_bin("oncevar")
        .unwrap()
        .args(["check", "--help"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Every `--long-flag` in `text` that names an option of `oncevar check`.
fn assert_real_flags(text: &str, help: &str) {
    for word in text.split(|c: char| c.is_whitespace() || c == '"' || c == '\'') {
        let Some(flag) = word.strip_prefix("--") else {
            continue;
        };
        let flag = flag.split('=').next().unwrap_or_default();
        if flag.is_empty()
            || matches!(
                flag,
                "locked" | "quiet" | "path" | "root" | "disable-pip-version-check"
            )
        {
            continue; // `cargo install`'s and `pip install`'s own
        }
        assert!(
            help.contains(&format!("--{flag}")),
            "`--{flag}` is not an option of `oncevar check`"
        );
    }
}

/// A pre-commit hook definition; unknown keys are mistakes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Hook {
    id: String,
    name: String,
    entry: String,
    language: String,
    description: Option<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    types_or: Vec<String>,
    files: Option<String>,
    exclude: Option<String>,
    pass_filenames: Option<bool>,
    require_serial: Option<bool>,
    minimum_pre_commit_version: Option<String>,
    stages: Option<Vec<String>>,
}

const SITE: &str = "static PyObject *cache = NULL;\n\
PyObject *get(void) { if (cache == NULL) { cache = PyDict_New(); } return cache; }\n";

#[test]
fn pre_commit_hook_runs_the_real_cli() {
    let text = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let hooks: Vec<Hook> = serde_saphyr::from_str(&text).unwrap();
    let ids: Vec<(&str, &str)> = hooks
        .iter()
        .map(|h| (h.id.as_str(), h.language.as_str()))
        .collect();
    assert_eq!(
        ids,
        [("oncevar", "python"), ("oncevar-cargo", "rust")],
        "pip installs the package (scripts/test-wheel.sh checks that it \
         puts oncevar on PATH); the cargo build is the alternative"
    );
    for other in &hooks[1..] {
        assert_eq!(
            (
                &other.entry,
                &other.args,
                &other.types,
                other.require_serial
            ),
            (
                &hooks[0].entry,
                &hooks[0].args,
                &hooks[0].types,
                hooks[0].require_serial
            ),
            "the hooks differ only in how oncevar is installed"
        );
    }
    let hook = &hooks[0];
    assert!(hook.types.iter().any(|t| t == "c"), "{:?}", hook.types);
    assert_real_flags(&hook.args.join(" "), &oncevar_help());

    // Run it as pre-commit does: entry, args, then the staged file names.
    let mut entry = hook.entry.split_whitespace();
    assert_eq!(entry.next(), Some("oncevar"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.c"), SITE).unwrap();
    std::fs::write(dir.path().join("clean.h"), "static int x;\n").unwrap();
    let run = |files: &[&str]| {
        assert_cmd::Command::cargo_bin("oncevar")
            .unwrap()
            .current_dir(dir.path())
            .args(entry.clone())
            .args(&hook.args)
            .args(files)
            .output()
            .unwrap()
    };
    let found = run(&["site.c", "clean.h"]);
    assert_eq!(found.status.code(), Some(1), "{found:?}");
    let stdout = String::from_utf8(found.stdout).unwrap();
    assert!(stdout.starts_with("site.c:1:18: OV101 "), "{stdout}");
    assert_eq!(run(&["clean.h"]).status.code(), Some(0));
    // A staged file of vendored code is skipped as a walk skips it (the
    // hooks pass --force-exclude; named, it would be scanned).
    std::fs::create_dir(dir.path().join("vendor")).unwrap();
    std::fs::write(dir.path().join("vendor/lib.c"), SITE).unwrap();
    let vendored = run(&["vendor/lib.c", "clean.h"]);
    assert_eq!(vendored.status.code(), Some(0), "{vendored:?}");
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Action {
    name: String,
    description: String,
    author: Option<String>,
    branding: Option<BTreeMap<String, String>>,
    inputs: BTreeMap<String, Input>,
    outputs: BTreeMap<String, Output>,
    runs: Runs,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Input {
    description: String,
    required: Option<bool>,
    default: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Output {
    description: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Runs {
    using: String,
    steps: Vec<Step>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Step {
    name: String,
    id: Option<String>,
    #[serde(rename = "if")]
    condition: Option<String>,
    shell: Option<String>,
    run: Option<String>,
    uses: Option<String>,
    #[serde(default)]
    with: BTreeMap<String, String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
}

fn action() -> (String, Action) {
    let text = std::fs::read_to_string("action.yml").unwrap();
    let action = serde_saphyr::from_str(&text).unwrap();
    (text, action)
}

/// The names used as `inputs.NAME` in `text`.
fn inputs_used(text: &str) -> Vec<&str> {
    text.match_indices("inputs.")
        .map(|(at, _)| {
            let rest = &text[at + "inputs.".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn action_is_a_composite_that_installs_scans_and_uploads() {
    let (text, action) = action();
    assert_eq!(action.runs.using, "composite");
    for used in inputs_used(&text) {
        assert!(
            action.inputs.contains_key(used),
            "undeclared input `{used}`"
        );
    }
    let steps = &action.runs.steps;
    for step in steps.iter().filter(|s| s.run.is_some()) {
        assert_eq!(step.shell.as_deref(), Some("bash"), "{}", step.name);
        let run = step.run.as_deref().unwrap();
        // Inputs reach scripts through `env`, never pasted into the script.
        assert!(
            !run.contains("${{"),
            "{}: expression in a script",
            step.name
        );
    }
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no step `{name}`"))
    };
    let condition = |name: &str| step(name).condition.clone().unwrap_or_default();

    // By default the release wheel of the action's own version (or
    // `version:`) is installed from the package index, with one clear
    // error when there is none for the runner...
    let released = step("Install oncevar from the package index");
    assert_eq!(
        condition(&released.name),
        "inputs.build-from-source != 'true'"
    );
    assert_eq!(released.env["ONCEVAR_VERSION"], "${{ inputs.version }}");
    let script = released.run.as_deref().unwrap();
    assert!(
        script.contains("pip\" install --quiet --disable-pip-version-check \"oncevar==$version\"")
            && script.contains("${ONCEVAR_VERSION:-$(sed")
            && script.contains("\"$GITHUB_ACTION_PATH/Cargo.toml\"")
            && script.contains("set build-from-source: true"),
        "{released:?}"
    );
    assert_eq!(
        action.inputs["build-from-source"].default.as_deref(),
        Some("false")
    );
    // ...and only when asked, the action's checkout is built, with
    // cargo's registry and the target folder cached.
    let from_source = "inputs.build-from-source == 'true'";
    let build = step("Build oncevar");
    assert_eq!(condition(&build.name), from_source);
    let install = build.run.as_deref().unwrap();
    assert!(
        install.contains("cargo install --locked")
            && install.contains("--path \"$GITHUB_ACTION_PATH\"")
            && install.contains("CARGO_TARGET_DIR=\"$RUNNER_TEMP/oncevar-target\""),
        "{install}"
    );
    assert!(
        Path::new("Cargo.lock").exists(),
        "--locked needs Cargo.lock"
    );
    let restore = step("Restore cargo's registry and the build");
    let save = step("Save cargo's registry and the build");
    assert_eq!(condition(&restore.name), from_source);
    assert!(restore
        .uses
        .as_deref()
        .unwrap()
        .starts_with("actions/cache/restore@"));
    assert!(save
        .uses
        .as_deref()
        .unwrap()
        .starts_with("actions/cache/save@"));
    for cache in [restore, save] {
        for path in [
            "~/.cargo/registry/index/",
            "~/.cargo/registry/cache/",
            "${{ runner.temp }}/oncevar-target",
        ] {
            assert!(
                cache.with["path"].lines().any(|l| l == path),
                "{} lacks {path}",
                cache.name
            );
        }
        assert!(cache.with["key"].contains("${{ steps.cache-key.outputs.lock }}"));
    }
    // Saved before the scan, whose findings fail the job: a project with
    // sites no longer rebuilds on every run.
    let position = |name: &str| steps.iter().position(|s| s.name == name).unwrap();
    assert!(position(&restore.name) < position(&build.name));
    assert!(position(&build.name) < position(&save.name));
    assert!(position(&save.name) < position("Run oncevar"));
    assert!(condition(&save.name).starts_with(from_source));

    // The report is uploaded when there is one (even when the scan
    // failed), never from a fork's or Dependabot's pull request.
    let upload = steps
        .iter()
        .find(|s| {
            s.uses
                .as_deref()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("a step uploads the SARIF report");
    assert_eq!(upload.with["sarif_file"], "${{ inputs.sarif-file }}");
    let uploads = upload.condition.as_deref().unwrap();
    let fork = "(github.event.pull_request.head.repo.fork || github.actor == 'dependabot[bot]')";
    for part in [
        "always()",
        "steps.check.outputs.sarif == 'true'",
        &format!("!{fork}"),
    ] {
        assert!(
            uploads.contains(part),
            "upload condition lacks {part}: {uploads}"
        );
    }
    let notice = condition("Say why the SARIF report is not uploaded");
    assert!(notice.contains(&format!("&& {fork}")), "{notice}");
    let help = oncevar_help();
    for step in steps {
        assert_real_flags(step.run.as_deref().unwrap_or_default(), &help);
    }
}

/// Runs the action's scan step as the runner would: its script with its
/// environment, `oncevar` on PATH, `GITHUB_OUTPUT` a file.
fn run_scan_step(dir: &Path, args: &str) -> (i32, String, String) {
    let (_, action) = action();
    let step = action
        .runs
        .steps
        .iter()
        .find(|s| s.id.as_deref() == Some("check"))
        .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("oncevar");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = dir.join("github-output");
    std::fs::write(&output, "").unwrap();
    let input = |name: &str| match name {
        "paths" => ".".to_owned(),
        "args" => args.to_owned(),
        other => action.inputs[other].default.clone().unwrap_or_default(),
    };
    let mut command = Command::new("bash");
    command
        .arg("-e")
        .arg("-c")
        .arg(step.run.as_deref().unwrap())
        .current_dir(dir)
        .env("PATH", path)
        .env("RUNNER_TEMP", dir)
        .env("GITHUB_STEP_SUMMARY", dir.join("step-summary"))
        .env("GITHUB_OUTPUT", &output);
    for (key, value) in &step.env {
        let name = value
            .trim_start_matches("${{ inputs.")
            .trim_end_matches(" }}");
        command.env(key, input(name));
    }
    let out = command.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        std::fs::read_to_string(output).unwrap(),
    )
}

#[test]
fn action_scan_step_writes_sarif_annotations_and_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.c"), SITE).unwrap();
    let (status, stdout, output) = run_scan_step(dir.path(), "");
    assert_eq!(status, 0);
    assert_eq!(output, "sarif=true\nexit-code=1\n");
    assert!(
        stdout.starts_with("::warning file=site.c,line=1,col=18,"),
        "{stdout}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("oncevar.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "OV101");

    // With a baseline holding the site: nothing new, exit code 0.
    assert_cmd::Command::cargo_bin("oncevar")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--write-baseline", "oncevar-baseline.json"])
        .assert()
        .success();
    let (status, stdout, output) = run_scan_step(dir.path(), "--baseline oncevar-baseline.json");
    assert_eq!(status, 0);
    assert_eq!(output, "sarif=true\nexit-code=0\n");
    assert_eq!(stdout, "");
}

/// GitHub shows 10 annotations of a level per step: the step prints them
/// all and says how many were not shown, in the log and the job summary.
#[test]
fn action_scan_step_counts_the_annotations_github_hides() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        std::fs::write(dir.path().join(format!("site{i:02}.c")), SITE).unwrap();
    }
    let (status, stdout, _) = run_scan_step(dir.path(), "");
    assert_eq!(status, 0);
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("::warning "))
            .count(),
        12
    );
    let line = "oncevar: 2 of 12 annotations were not shown (GitHub shows at most 10 of each level per step); the SARIF report in code scanning has every site";
    assert!(stdout.ends_with(&format!("{line}\n")), "{stdout}");
    let summary = std::fs::read_to_string(dir.path().join("step-summary")).unwrap();
    assert_eq!(summary, format!("{line}\n"));
    assert!(!dir.path().join("oncevar-annotations").exists());

    // Ten or fewer: nothing to say.
    std::fs::remove_file(dir.path().join("site00.c")).unwrap();
    std::fs::remove_file(dir.path().join("site01.c")).unwrap();
    let (_, stdout, _) = run_scan_step(dir.path(), "");
    assert!(!stdout.contains("not shown"), "{stdout}");
}

/// A scan that stops before reporting (here a bad configuration) fails the
/// step, and leaves no empty SARIF file for the upload step to send.
#[test]
fn action_scan_step_leaves_no_empty_report_on_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.c"), SITE).unwrap();
    std::fs::write(dir.path().join("oncevar.toml"), "selcet = [\"OV101\"]\n").unwrap();
    let (status, stdout, output) = run_scan_step(dir.path(), "");
    assert_eq!(status, 2);
    assert_eq!(output, "sarif=false\nexit-code=2\n");
    assert!(
        stdout.contains("::error title=oncevar::oncevar could not scan (exit 2)"),
        "{stdout}"
    );
    assert!(!dir.path().join("oncevar.sarif").exists());

    // An unreadable path is an error too, but the report is whole: kept.
    let (status, _, output) = run_scan_step(dir.path(), "--no-config no/such/path");
    assert_eq!(status, 2);
    assert_eq!(output, "sarif=true\nexit-code=2\n");
}

#[test]
fn readme_sample_workflow_uses_the_action() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (_, action) = action();
    let workflow = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .find(|block| block.contains("jobs:"))
        .expect("the README shows a sample workflow");
    let workflow: serde_json::Value = serde_saphyr::from_str(workflow).unwrap();
    assert_eq!(
        workflow["permissions"]["security-events"], "write",
        "uploading SARIF needs it"
    );
    assert_eq!(
        workflow["permissions"]["actions"], "read",
        "uploading SARIF needs it on a private repository"
    );
    let steps = workflow["jobs"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|job| job["steps"].as_array().unwrap())
        .collect::<Vec<_>>();
    let step = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("oncevar/oncevar@"))
        })
        .expect("a step uses the action");
    for (input, value) in step["with"].as_object().unwrap() {
        assert!(action.inputs.contains_key(input), "unknown input `{input}`");
        assert_real_flags(value.as_str().unwrap_or_default(), &oncevar_help());
    }
    let hooks = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .find(|block| block.contains("repos:"))
        .expect("the README shows a pre-commit configuration");
    let hooks: serde_json::Value = serde_saphyr::from_str(hooks).unwrap();
    assert_eq!(hooks["repos"][0]["hooks"][0]["id"], "oncevar");
}

/// Every `cargo install`, `cargo build`, `cargo run` and `maturin build`
/// the project tells people or CI to run builds with the dependency
/// versions in `Cargo.lock`.
#[test]
fn every_cargo_build_is_locked() {
    let mut files = vec![
        "README.md".to_owned(),
        "action.yml".to_owned(),
        ".pre-commit-hooks.yaml".to_owned(),
        ".ci/run".to_owned(),
        "runtime/README.md".to_owned(),
        "CONTRIBUTING.md".to_owned(),
    ];
    for dir in ["docs", ".github/workflows"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            files.push(entry.unwrap().path().to_string_lossy().into_owned());
        }
    }
    for entry in std::fs::read_dir("scripts").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "sh") {
            files.push(path.to_string_lossy().into_owned());
        }
    }
    let mut checked = 0;
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            for command in ["cargo install", "cargo build", "cargo run", "maturin build"] {
                for (at, _) in line.match_indices(command) {
                    // A command, not a word of prose (`maturin builds`).
                    let after = line[at + command.len()..].chars().next();
                    if after.is_some_and(char::is_alphanumeric) {
                        continue;
                    }
                    checked += 1;
                    // The command's own arguments: up to a pipe, `;`, `&&`,
                    // a comment or the end of a code span.
                    let rest = &line[at..];
                    let end = rest.find(['|', ';', '#', '`', ')']).unwrap_or(rest.len());
                    assert!(
                        rest[..end].contains("--locked"),
                        "{file}:{}: `{}` without --locked",
                        number + 1,
                        rest[..end].trim_end()
                    );
                }
            }
        }
    }
    assert!(checked >= 5, "only {checked} commands found");
}
